/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** Benchmark harness: run by hand, never part of the test run. */
package io.torrin.benchmarks;
