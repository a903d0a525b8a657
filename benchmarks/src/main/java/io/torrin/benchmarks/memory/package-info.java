/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code memory} benchmark scenario: server memory per in-flight upload and heap against file size, with the
 * server in a child JVM. Entry point {@link io.torrin.benchmarks.memory.MemoryBenchmark}.
 */
package io.torrin.benchmarks.memory;
