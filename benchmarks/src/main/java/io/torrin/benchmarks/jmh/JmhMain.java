/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH microbenchmarks of the hot paths ({@link ChunkWriteBenchmark}, {@link StoreMarkBenchmark},
 * {@link ChecksumBenchmark}) with the JMH runner API and prints a compact Markdown table: throughput, MiB/s where an
 * operation moves a fixed number of bytes, allocation per operation (JMH's GC profiler), and the ratio to the row's
 * baseline. Single-threaded, throughput mode.
 *
 * <p>Options: {@code --quick} (1 fork, 1 warm-up iteration of 1 s, 2 measured iterations of 1 s: about a minute);
 * otherwise {@code --forks 1 --warmup 3 --iterations 5 --seconds 2}, each can be given explicitly;
 * {@code --include <regex>} selects benchmarks (default: all three classes). Every fork runs with
 * {@code -Xms512m -Xmx512m} whatever the launching JVM was given, so results do not depend on its heap.
 *
 * <p>The benchmarks can also be run with JMH's own command line:
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main io.torrin.benchmarks.jmh}.
 */
public final class JmhMain {

    private static final double MIB = 1024.0 * 1024.0;

    /** How one benchmark is shown in the table: its label, bytes per operation and its baseline's key. */
    private record Row(String label, long bytesPerOp, String baselineKey) {}

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        String chunk = ChunkWriteBenchmark.class.getName() + ".";
        ROWS.put(
                chunk + "baselineFileChannelWrite",
                new Row(
                        "1 MiB chunk: plain FileChannel positional write" + " (baseline)",
                        ChunkWriteBenchmark.CHUNK_BYTES,
                        null));
        ROWS.put(
                chunk + "torrinHandleChunk",
                new Row(
                        "1 MiB chunk: UploadService.handleChunk, local driver" + " (Durability.NONE) + in-memory store",
                        ChunkWriteBenchmark.CHUNK_BYTES,
                        chunk + "baselineFileChannelWrite"));
        String store = StoreMarkBenchmark.class.getName() + ".";
        ROWS.put(
                store + "markChunkReceived[memory]",
                new Row("markChunkReceived, InMemoryUploadStore (baseline)", 0, null));
        ROWS.put(
                store + "markChunkReceived[file]",
                new Row("markChunkReceived, FileUploadStore fsync(false)", 0, store + "markChunkReceived[memory]"));
        ROWS.put(store + "advanceOffset[memory]", new Row("advanceOffset, InMemoryUploadStore (baseline)", 0, null));
        ROWS.put(
                store + "advanceOffset[file]",
                new Row("advanceOffset, FileUploadStore fsync(false)", 0, store + "advanceOffset[memory]"));
        String sum = ChecksumBenchmark.class.getName() + ".";
        ROWS.put(
                sum + "baselinePlainRead",
                new Row("1 MiB read into 64 KiB buffer, plain stream (baseline)", ChecksumBenchmark.CHUNK_BYTES, null));
        ROWS.put(
                sum + "resendNoHash",
                new Row(
                        "1 MiB re-sent to handleChunk (read, counted), SHA-256 off",
                        ChecksumBenchmark.CHUNK_BYTES,
                        sum + "baselinePlainRead"));
        ROWS.put(
                sum + "baselineDigestArray",
                new Row("SHA-256 of the 1 MiB array, one update() (baseline)", ChecksumBenchmark.CHUNK_BYTES, null));
        ROWS.put(
                sum + "resendSha256",
                new Row(
                        "1 MiB re-sent to handleChunk (read, hashed, verified), SHA-256 on",
                        ChecksumBenchmark.CHUNK_BYTES,
                        sum + "baselineDigestArray"));
    }

    private JmhMain() {}

    /**
     * Runs it standalone: {@code java -cp benchmarks.jar io.torrin.benchmarks.jmh.JmhMain [options]}.
     *
     * @param args the options
     * @throws RunnerException if it fails
     */
    public static void main(String[] args) throws RunnerException {
        run(args);
    }

    /**
     * Runs the microbenchmarks and prints the table.
     *
     * @param args the options
     * @throws RunnerException if JMH fails
     */
    public static void run(String[] args) throws RunnerException {
        List<String> options = Arrays.asList(args);
        boolean quick = options.contains("--quick");
        int forks = intOption(args, "--forks", 1);
        int warmup = intOption(args, "--warmup", quick ? 1 : 3);
        int iterations = intOption(args, "--iterations", quick ? 2 : 5);
        int seconds = intOption(args, "--seconds", quick ? 1 : 2);
        String include = stringOption(args, "--include", null);
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .forks(forks)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .threads(1)
                .jvmArgs("-Xms512m", "-Xmx512m")
                .addProfiler("gc")
                .verbosity(VerboseMode.NORMAL)
                .shouldFailOnError(true);
        if (include != null) {
            builder.include(include);
        } else {
            builder.include(ChunkWriteBenchmark.class.getName())
                    .include(StoreMarkBenchmark.class.getName())
                    .include(ChecksumBenchmark.class.getName());
        }
        System.out.printf(
                Locale.ROOT,
                "jmh: %d fork(s), %d warm-up x %d s, %d iterations x %d s, 1 thread%n",
                forks,
                warmup,
                seconds,
                iterations,
                seconds);
        Collection<RunResult> results = new Runner(builder.build()).run();
        printTable(results, forks, warmup, iterations, seconds);
    }

    private static void printTable(Collection<RunResult> results, int forks, int warmup, int iterations, int seconds) {
        Map<String, RunResult> byKey = new LinkedHashMap<>();
        for (RunResult result : results) {
            byKey.put(key(result), result);
        }
        List<String> keys = new ArrayList<>();
        ROWS.keySet().stream().filter(byKey::containsKey).forEach(keys::add);
        byKey.keySet().stream().filter(key -> !ROWS.containsKey(key)).forEach(keys::add);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "JMH, %d fork(s), %d warm-up x %d s, %d x %d s measured, 1 thread; ops/s is the"
                        + " mean with the range of the measured iterations%n%n",
                forks,
                warmup,
                seconds,
                iterations,
                seconds);
        System.out.println("| benchmark | ops/s (min–max) | µs/op | MiB/s | alloc B/op | vs baseline |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String key : keys) {
            RunResult result = byKey.get(key);
            Row row = ROWS.getOrDefault(key, new Row(key, 0, null));
            Result<?> primary = result.getPrimaryResult();
            double ops = primary.getScore();
            String mib = row.bytesPerOp() > 0 ? String.format(Locale.ROOT, "%.0f", ops * row.bytesPerOp() / MIB) : "";
            Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            String allocated = alloc == null ? "" : String.format(Locale.ROOT, "%.0f", alloc.getScore());
            String ratio = "";
            if (row.baselineKey() != null && byKey.containsKey(row.baselineKey())) {
                double base = byKey.get(row.baselineKey()).getPrimaryResult().getScore();
                double r = ops / base;
                ratio = r >= 0.5
                        ? String.format(Locale.ROOT, "**%.2f**", r)
                        : String.format(Locale.ROOT, "**%.3g** (%.0f× the time)", r, 1 / r);
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s (%s–%s) | %s | %s | %s | %s |%n",
                    row.label(),
                    number(ops),
                    number(primary.getStatistics().getMin()),
                    number(primary.getStatistics().getMax()),
                    micros(1e6 / ops),
                    mib,
                    allocated,
                    ratio);
        }
        System.out.println();
        System.out.println("vs baseline: this row's throughput / its baseline's (the row marked baseline above it);"
                + " indicative on a shared 2-core machine");
    }

    private static String key(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        String store = result.getParams().getParam("store");
        return store == null ? benchmark : benchmark + "[" + store + "]";
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String micros(double value) {
        return value >= 100
                ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.3f", value);
    }

    private static int intOption(String[] args, String name, int fallback) {
        String value = stringOption(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
