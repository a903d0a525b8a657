/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import io.torrin.benchmarks.e2e.E2eBenchmark;
import io.torrin.benchmarks.jmh.JmhMain;
import io.torrin.benchmarks.memory.MemoryBenchmark;
import io.torrin.benchmarks.tus.TorrinTusTarget;
import io.torrin.benchmarks.tus.TusBenchmark;
import io.torrin.storage.local.Durability;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: {@code java -Xmx64m -jar benchmarks/target/benchmarks.jar <scenario> [options]}.
 *
 * <p>Scenarios: {@code direct-local} ({@link DirectLocalBenchmark}), {@code s3} ({@link S3Benchmark}),
 * {@code stores} ({@link StoreBenchmark}), {@code tus} ({@link io.torrin.benchmarks.tus.TusBenchmark}, with
 * {@link io.torrin.benchmarks.tus.TorrinTusTarget} as Torrin's server), {@code e2e}
 * ({@link io.torrin.benchmarks.e2e.E2eBenchmark}), {@code memory} ({@link io.torrin.benchmarks.memory.MemoryBenchmark}),
 * {@code jmh} ({@link io.torrin.benchmarks.jmh.JmhMain}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {}

    /**
     * Runs a scenario.
     *
     * @param args the scenario name and its options
     * @throws Exception if the benchmark fails
     */
    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "direct-local";
        String[] options = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
        switch (scenario) {
            case "direct-local" -> DirectLocalBenchmark.main(options);
            case "s3" -> S3Benchmark.main(options);
            case "stores" -> StoreBenchmark.main(options);
            case "tus" ->
                TusBenchmark.run(
                        options,
                        TorrinTusTarget.start(
                                Files.createTempDirectory("torrin-tus-ours"),
                                !Arrays.asList(options).contains("--blocking-reads"),
                                torrinDurability(options)));
            case "e2e" -> E2eBenchmark.run(options);
            case "memory" -> MemoryBenchmark.run(options);
            case "client" -> ClientBenchmark.run(options);
            case "jmh" -> JmhMain.run(options);
            default -> {
                System.err.println("unknown scenario " + scenario
                        + "; known: direct-local, s3, stores, tus, e2e, memory, client, jmh");
                System.exit(2);
            }
        }
    }

    /** The local driver policy for the tus scenario's Torrin server: {@code --torrin-durability}, default NONE. */
    private static Durability torrinDurability(String[] options) {
        for (int i = 0; i + 1 < options.length; i++) {
            if (options[i].equals("--torrin-durability")) {
                return Durability.valueOf(options[i + 1]);
            }
        }
        return Durability.NONE;
    }
}
