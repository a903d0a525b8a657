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
import io.torrin.storage.s3.S3StorageDriver;
import io.torrin.testsupport.S3MockProcess;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The S3 driver through the service, next to a plain AWS SDK multipart upload of the same bytes to the same
 * S3-compatible server (Adobe S3Mock as a child JVM), in the same run: {@code threads} threads send
 * {@code chunk-mib} parts of a {@code size-mib} file. Runs alternate (plain SDK first) after a warm-up round.
 *
 * <p>Options: {@code --size-mib 256 --chunk-mib 8 --threads 4 --runs 5 --warmup 1
 * --s3mock benchmarks/target/s3mock/s3mock-exec.jar}.
 */
public final class S3Benchmark {

    private static final String BUCKET = "bench";

    private S3Benchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the options
     * @throws Exception if it fails
     */
    @SuppressWarnings("deprecation") // the SDK's Apache 4 client, as in the recorded runs; Apache 5 is its successor
    public static void main(String[] args) throws Exception {
        long size = Stats.option(args, "--size-mib", 256) * 1024 * 1024;
        int chunk = (int) Stats.option(args, "--chunk-mib", 8) * 1024 * 1024;
        int threads = (int) Stats.option(args, "--threads", 4);
        int runs = (int) Stats.option(args, "--runs", 5);
        int warmup = (int) Stats.option(args, "--warmup", 1);
        Path jar = Path.of(Stats.stringOption(args, "--s3mock", "benchmarks/target/s3mock/s3mock-exec.jar"));
        byte[] block = new byte[chunk];
        new SplittableRandom(7).nextBytes(block);
        System.out.printf(
                Locale.ROOT,
                "s3: %d MiB in %d MiB parts, %d threads, %d runs, max heap %d MiB%n",
                size >> 20,
                chunk >> 20,
                threads,
                runs,
                Runtime.getRuntime().maxMemory() >> 20);

        try (S3MockProcess mock = S3MockProcess.start(jar, BUCKET);
                S3Client s3 = S3Client.builder()
                        .endpointOverride(mock.endpoint())
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .httpClient(ApacheHttpClient.builder()
                                .maxConnections(threads * 2)
                                .build())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                        .build()) {
            for (int i = 0; i < warmup; i++) {
                plainSdk(s3, block, size, threads, "warmup-" + i);
                torrin(s3, block, size, threads);
            }
            List<Double> sdk = new ArrayList<>();
            List<Double> ours = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double plain = plainSdk(s3, block, size, threads, "plain-" + run);
                Stats.resetPeakHeap();
                double service = torrin(s3, block, size, threads);
                heap.add(Stats.peakHeapMiB());
                sdk.add(plain);
                ours.add(service);
                System.out.printf(
                        Locale.ROOT, "run %d: plain SDK %.0f MiB/s, Torrin %.0f MiB/s%n", run, plain, service);
            }
            System.out.println();
            System.out.println("| measure | median | min | max |");
            System.out.println("|---|---:|---:|---:|");
            Stats.row("plain AWS SDK multipart upload (MiB/s)", sdk);
            Stats.row("Torrin UploadService + S3StorageDriver (MiB/s)", ours);
            Stats.row("peak heap during Torrin run (MiB)", heap);
            System.out.printf(
                    Locale.ROOT,
                    "%nratio Torrin / plain SDK (medians): %.3f%n",
                    Stats.median(ours) / Stats.median(sdk));
        }
    }

    private static double plainSdk(S3Client s3, byte[] block, long size, int threads, String key) throws Exception {
        long start = System.nanoTime();
        String id = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
        int parts = (int) ((size + block.length - 1) / block.length);
        CompletedPart[] completed = new CompletedPart[parts];
        parallel(threads, parts, part -> {
            long length = Math.min(block.length, size - (long) part * block.length);
            String etag = s3.uploadPart(
                            r -> r.bucket(BUCKET)
                                    .key(key)
                                    .uploadId(id)
                                    .partNumber(part + 1)
                                    .contentLength(length),
                            RequestBody.fromInputStream(new ByteArrayInputStream(block, 0, (int) length), length))
                    .eTag();
            completed[part] =
                    CompletedPart.builder().partNumber(part + 1).eTag(etag).build();
        });
        s3.completeMultipartUpload(
                r -> r.bucket(BUCKET).key(key).uploadId(id).multipartUpload(m -> m.parts(completed)));
        double seconds = (System.nanoTime() - start) / 1e9;
        s3.deleteObject(r -> r.bucket(BUCKET).key(key));
        return size / 1048576.0 / seconds;
    }

    private static double torrin(S3Client s3, byte[] block, long size, int threads) throws Exception {
        Path sessions = Files.createTempDirectory("torrin-bench-sessions");
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, BUCKET).keyPrefix("torrin").build();
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = UploadService.builder()
                        .storage(driver)
                        .store(store)
                        .sweepInterval(Duration.ZERO)
                        .build()) {
            long start = System.nanoTime();
            UploadSession session = service.initUpload(InitUploadRequest.builder()
                    .fileSize(size)
                    .desiredChunkSize(block.length)
                    .build());
            parallel(threads, session.totalChunks(), index -> {
                long length = session.expectedChunkSize(index);
                service.handleChunk(ChunkRequest.of(
                        session.uploadId(), index, length, new ByteArrayInputStream(block, 0, (int) length)));
            });
            var result = service.completeUpload(session.uploadId());
            double seconds = (System.nanoTime() - start) / 1e9;
            s3.deleteObject(
                    r -> r.bucket(BUCKET).key(result.location().attribute("key").orElseThrow()));
            return size / 1048576.0 / seconds;
        }
    }

    @FunctionalInterface
    private interface Task {
        void run(int index) throws Exception;
    }

    private static void parallel(int threads, int count, Task task) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(workers.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }
}
