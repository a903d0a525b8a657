/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import io.torrin.core.ChunkRequest;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadSession;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.UploadStore;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The direct Java API on local disk, next to the disk's own limit measured in the same run.
 *
 * <ul>
 *   <li><b>baseline</b>: one {@link FileChannel} writes the file sequentially from a direct buffer, then forces it.</li>
 *   <li><b>torrin</b>: {@code UploadService} with {@link LocalStorageDriver} ({@link Durability#FSYNC_ON_COMPLETE})
 *       and the durable {@link FileUploadStore}; {@code threads} threads send the chunks, then {@code completeUpload}
 *       forces the file and links it into place.</li>
 * </ul>
 * Both write the same bytes (one random block of chunk size, repeated) and runs alternate, baseline first, after an
 * uncounted warm-up round of each. Output is
 * a Markdown table of the median with min and max over the runs, and the ratio of the medians.
 *
 * <p>Options: {@code --size-mib 1024 --chunk-mib 8 --threads 4 --runs 5 --warmup 1 --store file|file-nosync|memory
 * --durability FSYNC_ON_COMPLETE|FSYNC_EACH_CHUNK --dir <directory>}.
 */
public final class DirectLocalBenchmark {

    private DirectLocalBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the options
     * @throws Exception if the benchmark fails
     */
    public static void main(String[] args) throws Exception {
        long sizeMiB = Stats.option(args, "--size-mib", 1024);
        int chunkMiB = (int) Stats.option(args, "--chunk-mib", 8);
        int threads = (int) Stats.option(args, "--threads", 4);
        int runs = (int) Stats.option(args, "--runs", 5);
        int warmup = (int) Stats.option(args, "--warmup", 1);
        Path dir = Path.of(Stats.stringOption(args, "--dir", "target/bench-direct-local"))
                .toAbsolutePath();
        String storeKind = Stats.stringOption(args, "--store", "file");
        Durability durability = Durability.valueOf(Stats.stringOption(args, "--durability", "FSYNC_ON_COMPLETE"));
        long fileSize = sizeMiB * 1024 * 1024;
        int chunkSize = chunkMiB * 1024 * 1024;

        byte[] block = new byte[chunkSize];
        new SplittableRandom(42).nextBytes(block);
        Files.createDirectories(dir);

        List<Double> baseline = new ArrayList<>();
        List<Double> torrin = new ArrayList<>();
        List<Double> completeMillis = new ArrayList<>();
        List<Double> peakHeap = new ArrayList<>();
        System.out.printf(
                Locale.ROOT,
                "direct-local: %d MiB in %d MiB chunks, %d threads, %d runs, store %s, %s, max heap %d MiB,"
                        + " dir %s%n",
                sizeMiB,
                chunkMiB,
                threads,
                runs,
                storeKind,
                durability,
                Runtime.getRuntime().maxMemory() >> 20,
                dir);
        for (int run = 1; run <= warmup; run++) {
            plainWrite(dir.resolve("warmup-" + run + ".bin"), block, fileSize);
            torrinUpload(dir.resolve("warmup-" + run), block, fileSize, chunkSize, threads, storeKind, durability);
        }
        for (int run = 1; run <= runs; run++) {
            double b = plainWrite(dir.resolve("baseline-" + run + ".bin"), block, fileSize);
            baseline.add(b);
            Stats.resetPeakHeap();
            double[] t = torrinUpload(
                    dir.resolve("torrin-" + run), block, fileSize, chunkSize, threads, storeKind, durability);
            peakHeap.add(Stats.peakHeapMiB());
            torrin.add(t[0]);
            completeMillis.add(t[1]);
            System.out.printf(
                    Locale.ROOT,
                    "run %d: baseline %.0f MiB/s, torrin %.0f MiB/s, complete %.1f ms%n",
                    run,
                    b,
                    t[0],
                    t[1]);
        }
        double ratio = Stats.median(torrin) / Stats.median(baseline);
        System.out.println();
        System.out.println("| measure | median | min | max |");
        System.out.println("|---|---:|---:|---:|");
        Stats.row("plain FileChannel write + force (MiB/s)", baseline);
        Stats.row("Torrin direct API, " + threads + " threads (MiB/s)", torrin);
        Stats.row("completeUpload (ms)", completeMillis);
        Stats.row("peak heap during Torrin run (MiB)", peakHeap);
        System.out.printf(Locale.ROOT, "%nratio torrin / plain write (medians): %.3f%n", ratio);
    }

    private static double plainWrite(Path file, byte[] block, long fileSize) throws IOException {
        ByteBuffer direct = ByteBuffer.allocateDirect(block.length);
        direct.put(block).flip();
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < fileSize; written += block.length) {
                ByteBuffer slice = direct.duplicate();
                slice.limit((int) Math.min(block.length, fileSize - written));
                while (slice.hasRemaining()) {
                    channel.write(slice);
                }
            }
            channel.force(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return fileSize / 1048576.0 / seconds;
    }

    private static double[] torrinUpload(
            Path base, byte[] block, long fileSize, int chunkSize, int threads, String storeKind, Durability durability)
            throws Exception {
        LocalStorageDriver storage =
                LocalStorageDriver.builder(base).durability(durability).build();
        double throughput;
        double completeMillis;
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try (UploadStore store = switch (storeKind) {
                    case "memory" -> InMemoryUploadStore.create();
                    case "file-nosync" ->
                        FileUploadStore.builder(base.resolve(".torrin"))
                                .fsync(false)
                                .build();
                    default -> FileUploadStore.create(base.resolve(".torrin"));
                };
                UploadService service = UploadService.builder()
                        .storage(storage)
                        .store(store)
                        .sweepInterval(Duration.ZERO)
                        .build()) {
            long start = System.nanoTime();
            UploadSession session = service.initUpload(InitUploadRequest.builder()
                    .fileName("bench.bin")
                    .fileSize(fileSize)
                    .desiredChunkSize(chunkSize)
                    .build());
            if (session.chunkSize() != chunkSize) {
                throw new IllegalStateException("negotiated " + session.chunkSize() + " instead of " + chunkSize);
            }
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(workers.submit(() -> {
                    for (int i = first; i < session.totalChunks(); i += threads) {
                        long size = session.expectedChunkSize(i);
                        service.handleChunk(ChunkRequest.of(
                                session.uploadId(), i, size, new ByteArrayInputStream(block, 0, (int) size)));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            long beforeComplete = System.nanoTime();
            service.completeUpload(session.uploadId());
            long end = System.nanoTime();
            throughput = fileSize / 1048576.0 / ((end - start) / 1e9);
            completeMillis = (end - beforeComplete) / 1e6;
        } finally {
            workers.shutdownNow();
        }
        deleteRecursively(base);
        return new double[] {throughput, completeMillis};
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
