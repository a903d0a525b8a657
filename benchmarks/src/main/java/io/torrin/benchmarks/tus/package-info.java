/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code tus} benchmark scenario: tus 1.0 servers (Torrin's endpoint, tus-java-server, {@code @tus/server}) side
 * by side on loopback with one fixed client. Entry point {@link io.torrin.benchmarks.tus.TusBenchmark}.
 */
package io.torrin.benchmarks.tus;
