/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code e2e} benchmark scenario: the Torrin wire protocol end to end over HTTP on loopback, next to a disk limit,
 * an HTTP limit and tus peers, with one fixed client. Entry point {@link io.torrin.benchmarks.e2e.E2eBenchmark}.
 */
package io.torrin.benchmarks.e2e;
