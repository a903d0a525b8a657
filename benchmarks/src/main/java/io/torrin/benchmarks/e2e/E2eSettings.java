/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line of the {@code e2e} scenario: every option {@link E2eBenchmark} takes, with its default
 * (some differ with {@code --quick}), and the checks of the values given.
 */
record E2eSettings(
        boolean quick,
        boolean durable,
        int runs,
        int warmup,
        List<Integer> rows,
        List<String> peers,
        long largeBytes,
        int largeChunk,
        int largeConnections,
        long mediumBytes,
        int mediumChunk,
        int smallChunk,
        long rateUploadBytes,
        int statusChunks,
        int threads,
        int manyUploads,
        long manyBytes,
        int manyChunk,
        int smallFileBytes,
        double windowSeconds,
        Path nodeDirectory,
        Path parent,
        double maxOtherCpu,
        int retries,
        Duration quietWait) {

    private static final Set<String> KNOWN = Set.of(
            "--runs",
            "--warmup",
            "--rows",
            "--peers",
            "--large-mib",
            "--large-chunk-mib",
            "--large-connections",
            "--medium-mib",
            "--medium-chunk-mib",
            "--small-chunk-bytes",
            "--rate-upload-mib",
            "--status-chunks",
            "--threads",
            "--many-uploads",
            "--many-mib",
            "--many-chunk-mib",
            "--window-seconds",
            "--node-dir",
            "--dir",
            "--max-other-cpu",
            "--retries",
            "--quiet-wait-seconds",
            "--durability",
            "--small-file-bytes",
            "--medium-chunk-kib");

    static E2eSettings parse(String[] args) {
        boolean quick = false;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (KNOWN.contains(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; known: --quick "
                        + KNOWN.stream().sorted().toList());
            }
        }
        Path nodeDirectory = Path.of(options.getOrDefault(
                "--node-dir", Files.isDirectory(Path.of("benchmarks/node")) ? "benchmarks/node" : "node"));
        String durability = options.getOrDefault("--durability", "none").trim();
        if (!durability.equals("none") && !durability.equals("fsync")) {
            throw new IllegalArgumentException("--durability takes none or fsync, not " + durability);
        }
        boolean durable = durability.equals("fsync");
        E2eSettings s = new E2eSettings(
                quick,
                durable,
                integer(options, "--runs", quick ? 1 : 3),
                integer(options, "--warmup", 1),
                List.of(options.getOrDefault("--rows", "1,2,3,4,5,6").split(",")).stream()
                        .map(String::trim)
                        .filter(r -> !r.isEmpty())
                        .map(Integer::valueOf)
                        .toList(),
                List.of(options.getOrDefault(
                                        "--peers",
                                        durable ? "disk,disk-guarantee,sink,tjs-fsync" : "disk,sink,tjs,node")
                                .split(","))
                        .stream()
                        .map(String::trim)
                        .filter(p -> !p.isEmpty())
                        .distinct()
                        .toList(),
                mib(options, "--large-mib", quick ? 128 : 1024),
                Math.toIntExact(mib(options, "--large-chunk-mib", 8)),
                integer(options, "--large-connections", 4),
                mib(options, "--medium-mib", quick ? 32 : 256),
                options.containsKey("--medium-chunk-kib")
                        ? Math.toIntExact(integer(options, "--medium-chunk-kib", 1024) * 1024L)
                        : Math.toIntExact(mib(options, "--medium-chunk-mib", 1)),
                integer(options, "--small-chunk-bytes", 1024),
                mib(options, "--rate-upload-mib", 64),
                integer(options, "--status-chunks", 128),
                integer(options, "--threads", 8),
                integer(options, "--many-uploads", quick ? 16 : 64),
                mib(options, "--many-mib", quick ? 4 : 16),
                Math.toIntExact(mib(options, "--many-chunk-mib", 1)),
                integer(options, "--small-file-bytes", 1024),
                Double.parseDouble(options.getOrDefault("--window-seconds", quick ? "2" : "5")),
                nodeDirectory,
                Path.of(options.getOrDefault("--dir", System.getProperty("java.io.tmpdir"))),
                Double.parseDouble(options.getOrDefault("--max-other-cpu", "10")) / 100,
                integer(options, "--retries", quick ? 0 : 1),
                Duration.ofSeconds(integer(options, "--quiet-wait-seconds", quick ? 2 : 5)));
        if (s.runs() < 1
                || s.warmup() < 0
                || s.retries() < 0
                || s.quietWait().isNegative()
                || s.threads() < 1
                || s.largeConnections() < 1
                || s.manyUploads() < 1
                || s.windowSeconds() <= 0
                || s.largeBytes() < 1
                || s.mediumBytes() < 1
                || s.manyBytes() < 1
                || s.largeChunk() < 1
                || s.mediumChunk() < 1
                || s.manyChunk() < 1
                || s.smallChunk() < 1
                || s.smallFileBytes() < 1
                || s.statusChunks() < 2
                || s.rateUploadBytes() < s.smallChunk()) {
            throw new IllegalArgumentException("runs, threads, connections, uploads, sizes and the window must be"
                    + " positive, warm-ups, retries and waits not negative, --status-chunks at least 2");
        }
        if (s.smallChunk() < TorrinHttpTarget.MIN_CHUNK
                || s.smallFileBytes() < TorrinHttpTarget.MIN_CHUNK
                || s.largeChunk() > TorrinHttpTarget.MAX_CHUNK
                || s.mediumChunk() > TorrinHttpTarget.MAX_CHUNK
                || s.manyChunk() > TorrinHttpTarget.MAX_CHUNK
                || s.smallFileBytes() > TorrinHttpTarget.MAX_CHUNK) {
            throw new IllegalArgumentException("chunk sizes must lie in Torrin's configured range ["
                    + TorrinHttpTarget.MIN_CHUNK + ", " + TorrinHttpTarget.MAX_CHUNK + "]");
        }
        if (s.rows().isEmpty() || s.rows().stream().anyMatch(r -> r < 1 || r > 6)) {
            throw new IllegalArgumentException("--rows takes row numbers 1 to 6, e.g. 1,3");
        }
        return s;
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        return Integer.parseInt(
                options.getOrDefault(name, Integer.toString(fallback)).trim());
    }

    private static long mib(Map<String, String> options, String name, long fallback) {
        return Long.parseLong(
                        options.getOrDefault(name, Long.toString(fallback)).trim())
                << 20;
    }
}
