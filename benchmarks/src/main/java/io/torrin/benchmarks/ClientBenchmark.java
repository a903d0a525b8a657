/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import io.torrin.benchmarks.common.Machine;
import io.torrin.benchmarks.e2e.RawUploads;
import io.torrin.benchmarks.e2e.TorrinHttpTarget;
import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code client}: {@code torrin-client} against the benchmark's raw-socket client ({@link
 * io.torrin.benchmarks.e2e.TorrinClient}), on the same Torrin server in the same run, alternating: one large file
 * in parallel chunks, and many small files one after another. Both do the same protocol work: every chunk with its
 * SHA-256 (the server verifies it), the whole file's SHA-256 at completion, chunks read from the file. Then the
 * client's heap with 8 files in flight, in a child JVM at {@code -Xmx48m}, for two file sizes.
 *
 * <p>Options: {@code --size-mib 1024 --parallel 4 --chunk-mib 8 --runs 3 --small-files 1000 --small-bytes 4096
 * --heap-mib 32,256}.
 */
final class ClientBenchmark {

    private ClientBenchmark() {}

    static void run(String[] args) throws Exception {
        long size = Stats.option(args, "--size-mib", 1024) << 20;
        int parallel = (int) Stats.option(args, "--parallel", 4);
        long chunk = Stats.option(args, "--chunk-mib", 8) << 20;
        int runs = (int) Stats.option(args, "--runs", 3);
        int smallFiles = (int) Stats.option(args, "--small-files", 1000);
        int smallBytes = (int) Stats.option(args, "--small-bytes", 4096);
        String[] heapSizes = Stats.stringOption(args, "--heap-mib", "32,256").split(",");
        Path directory = Files.createTempDirectory("torrin-client-bench");
        System.out.println("machine: " + Machine.describe(directory));
        System.out.printf(
                Locale.ROOT,
                "client: %d MiB in %d MiB chunks, %d in flight; %d files of %d bytes; %d alternating runs%n",
                size >> 20,
                chunk >> 20,
                parallel,
                smallFiles,
                smallBytes,
                runs);
        try (TorrinHttpTarget server = TorrinHttpTarget.startTorrin(directory.resolve("server"))) {
            System.out.println("server: " + server.durabilityNote());
            Path big = write(directory.resolve("big.bin"), size, 1);
            List<Path> small = new ArrayList<>();
            for (int i = 0; i < smallFiles; i++) {
                small.add(write(directory.resolve("small-" + i + ".bin"), smallBytes, 100 + i));
            }
            URI endpoint = server.mountUrl();
            List<Double> rawLarge = new ArrayList<>();
            List<Double> libLarge = new ArrayList<>();
            List<Double> rawSmall = new ArrayList<>();
            List<Double> libSmall = new ArrayList<>();
            try (TorrinClient client = TorrinClient.builder(endpoint)
                    .parallelism(parallel)
                    .chunkSize(chunk)
                    .resumeStore(ResumeStore.inMemory())
                    .build()) {
                RawUploads.upload(endpoint, big, chunk, parallel); // warm-up both paths
                client.upload(big).result().join();
                clean(directory.resolve("server/files"));
                for (int run = 0; run < runs; run++) {
                    boolean rawFirst = run % 2 == 0;
                    for (int side = 0; side < 2; side++) {
                        boolean raw = rawFirst == (side == 0);
                        long start = System.nanoTime();
                        if (raw) {
                            RawUploads.upload(endpoint, big, chunk, parallel);
                        } else {
                            client.upload(big).result().join();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        (raw ? rawLarge : libLarge).add(size / 1048576.0 / seconds);
                        clean(directory.resolve("server/files"));
                    }
                    for (int side = 0; side < 2; side++) {
                        boolean raw = rawFirst == (side == 0);
                        long start = System.nanoTime();
                        for (Path file : small) {
                            if (raw) {
                                RawUploads.upload(endpoint, file, chunk, 1);
                            } else {
                                client.upload(file).result().join();
                            }
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        (raw ? rawSmall : libSmall).add(smallFiles / seconds);
                        clean(directory.resolve("server/files"));
                    }
                }
            }
            System.out.println();
            System.out.println("| case | median | min | max |");
            System.out.println("|---|---:|---:|---:|");
            Stats.row("raw-socket client, 1 large file, MiB/s", rawLarge);
            Stats.row("torrin-client, 1 large file, MiB/s", libLarge);
            Stats.row("raw-socket client, small files/s", rawSmall);
            Stats.row("torrin-client, small files/s", libSmall);
            System.out.printf(
                    Locale.ROOT,
                    "%nratio torrin-client / raw-socket client: large %.2f, small files %.2f%n",
                    Stats.median(libLarge) / Stats.median(rawLarge),
                    Stats.median(libSmall) / Stats.median(rawSmall));
            System.out.println();
            System.out.println("| 8 files in flight, each | client heap after GC, peak (MiB, -Xmx48m) |");
            System.out.println("|---|---:|");
            for (String mib : heapSizes) {
                long each = Long.parseLong(mib.trim()) << 20;
                List<Path> eight = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    eight.add(write(directory.resolve("heap-" + mib.trim() + "-" + i + ".bin"), each, 500 + i));
                }
                double peak = heapProbe(endpoint, eight, parallel, chunk);
                System.out.printf(Locale.ROOT, "| %s MiB | %.1f |%n", mib.trim(), peak);
                for (Path file : eight) {
                    Files.delete(file);
                }
                clean(directory.resolve("server/files"));
            }
        } finally {
            clean(directory);
        }
    }

    /** Runs {@link ClientHeapProbe} in a child JVM and returns the peak heap it measured. */
    private static double heapProbe(URI endpoint, List<Path> files, int parallel, long chunk) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                ClientHeapProbe.class.getName(),
                endpoint.toString(),
                Integer.toString(parallel),
                Long.toString(chunk)));
        files.forEach(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("heap probe failed: " + output);
        }
        String last =
                output.lines().filter(l -> l.startsWith("PEAK ")).findFirst().orElseThrow();
        return Double.parseDouble(last.substring(5));
    }

    /** Writes a file of seeded random bytes ({@link TestFiles#seededStream}). */
    static Path write(Path file, long size, long seed) throws IOException {
        try (InputStream in = TestFiles.seededStream(seed, 0, size)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static void clean(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) walk.sorted((a, b) -> b.compareTo(a))::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        }
    }
}
