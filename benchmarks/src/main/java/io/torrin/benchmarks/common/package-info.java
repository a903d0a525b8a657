/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** What every benchmark harness shares, below the harness packages: the description of the machine a run is on. */
package io.torrin.benchmarks.common;
