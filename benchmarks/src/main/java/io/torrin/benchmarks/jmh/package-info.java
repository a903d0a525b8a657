/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * JMH microbenchmarks of the hot paths (chunk write, store marks, checksums while streaming); run them with
 * {@link io.torrin.benchmarks.jmh.JmhMain}.
 */
package io.torrin.benchmarks.jmh;
