/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line of the {@code tus} scenario: every option {@link TusBenchmark} takes, with its default
 * (some differ with {@code --quick}), and the checks of the values given.
 */
record TusSettings(
        boolean quick,
        int runs,
        int warmup,
        long largeBytes,
        int largePatchBytes,
        long mediumBytes,
        int mediumPatchBytes,
        int smallPatchBytes,
        long rateUploadBytes,
        int threads,
        double windowSeconds,
        List<Integer> rows,
        List<String> peers,
        Path nodeDirectory,
        Path parent,
        double maxOtherCpu,
        int retries,
        Duration quietWait) {

    static TusSettings parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick") || args[i].equals("--blocking-reads")) {
                continue;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i], args[++i]);
        }
        Set<String> known = Set.of(
                "--runs",
                "--warmup",
                "--large-mib",
                "--large-patch-mib",
                "--medium-mib",
                "--medium-patch-mib",
                "--small-patch-bytes",
                "--rate-upload-mib",
                "--threads",
                "--window-seconds",
                "--rows",
                "--peers",
                "--node-dir",
                "--dir",
                "--max-other-cpu",
                "--retries",
                "--quiet-wait-seconds",
                "--torrin-durability",
                "--medium-patch-kib");
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; known: --quick " + known);
            }
        }
        Path nodeDirectory = Path.of(options.getOrDefault(
                "--node-dir", Files.isDirectory(Path.of("benchmarks/node")) ? "benchmarks/node" : "node"));
        TusSettings settings = new TusSettings(
                quick,
                Integer.parseInt(options.getOrDefault("--runs", quick ? "1" : "3")),
                Integer.parseInt(options.getOrDefault("--warmup", "1")),
                Long.parseLong(options.getOrDefault("--large-mib", quick ? "128" : "1024")) << 20,
                Integer.parseInt(options.getOrDefault("--large-patch-mib", "8")) << 20,
                Long.parseLong(options.getOrDefault("--medium-mib", quick ? "32" : "256")) << 20,
                options.containsKey("--medium-patch-kib")
                        ? Integer.parseInt(options.get("--medium-patch-kib")) << 10
                        : Integer.parseInt(options.getOrDefault("--medium-patch-mib", "1")) << 20,
                Integer.parseInt(options.getOrDefault("--small-patch-bytes", "1024")),
                Long.parseLong(options.getOrDefault("--rate-upload-mib", "1024")) << 20,
                Integer.parseInt(options.getOrDefault("--threads", "8")),
                Double.parseDouble(options.getOrDefault("--window-seconds", quick ? "2" : "5")),
                List.of(options.getOrDefault("--rows", "1,2,3,4").split(",")).stream()
                        .map(String::trim)
                        .map(Integer::valueOf)
                        .toList(),
                List.of(options.getOrDefault("--peers", "sink,tjs,node,tjs-fsync")
                                .split(","))
                        .stream()
                        .map(String::trim)
                        .filter(p -> !p.isEmpty())
                        .toList(),
                nodeDirectory,
                Path.of(options.getOrDefault("--dir", System.getProperty("java.io.tmpdir"))),
                Double.parseDouble(options.getOrDefault("--max-other-cpu", "10")) / 100,
                Integer.parseInt(options.getOrDefault("--retries", "1")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("--quiet-wait-seconds", quick ? "3" : "10"))));
        if (settings.runs() < 1
                || settings.warmup() < 0
                || settings.retries() < 0
                || settings.quietWait().isNegative()
                || settings.threads() < 1
                || settings.windowSeconds() <= 0
                || settings.smallPatchBytes() < 1
                || settings.largePatchBytes() < 1
                || settings.mediumPatchBytes() < 1) {
            throw new IllegalArgumentException(
                    "runs and threads must be ≥ 1, warmup, retries and waits ≥ 0, sizes and" + " window > 0");
        }
        if (settings.rows().isEmpty() || settings.rows().stream().anyMatch(row -> row < 1 || row > 4)) {
            throw new IllegalArgumentException("--rows takes row numbers 1 to 4, e.g. 1,3");
        }
        return settings;
    }
}
