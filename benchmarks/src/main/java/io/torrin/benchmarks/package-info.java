/** Benchmark harness: run by hand, never part of the test run. */
package io.torrin.benchmarks;
