package io.torrin.benchmarks;

import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: {@code java -Xmx64m -jar benchmarks/target/benchmarks.jar <scenario> [options]}.
 *
 * <p>Scenarios: {@code direct-local} ({@link DirectLocalBenchmark}), {@code s3} ({@link S3Benchmark}),
 * {@code stores} ({@link StoreBenchmark}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

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
            default -> {
                System.err.println("unknown scenario " + scenario + "; known: direct-local, s3, stores");
                System.exit(2);
            }
        }
    }
}
