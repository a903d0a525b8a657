/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import static io.torrin.benchmarks.e2e.E2eBenchmark.MEASUREMENT_TIMEOUT_SECONDS;
import static io.torrin.benchmarks.tus.Runs.size;

import io.torrin.benchmarks.tus.Payload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upload rows of the {@code e2e} scenario (rows 1, 2 and 5): whole uploads written by one or more connections
 * each, timed from the creation request to the last finishing answer, their stored files checked in the warm-up and
 * removed after every run.
 */
final class E2eUploads {

    private static final double MIB = 1024.0 * 1024.0;

    private final Payload payload;
    private final Set<String> verified;
    private final Set<String> warnings;

    /**
     * Measures with these bytes and notes the checks and clean-up failures in the sets given.
     *
     * @param payload the bytes every upload sends
     * @param verified where the warm-up's checks are noted, in the order they ran
     * @param warnings where failures of the clean-up are noted
     */
    E2eUploads(Payload payload, Set<String> verified, Set<String> warnings) {
        this.payload = payload;
        this.verified = verified;
        this.warnings = warnings;
    }

    /** The shared state of one file's writers. */
    private static final class FileJob {
        final CompletableFuture<E2eTarget.Upload> created = new CompletableFuture<>();
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch written;
        volatile E2eTarget.Finished finished;
        volatile Exception failure;

        FileJob(int writers) {
            written = new CountDownLatch(writers);
        }
    }

    /**
     * Sends {@code files} uploads at once, each by {@code writersPerFile} connections (fewer if the target allows
     * fewer) taking the next chunk index in turn; the first writer of each file creates and finishes it. Returns the
     * aggregate MiB/s from the moment all connections start to the last finish.
     */
    double run(E2eTarget target, int row, int files, long size, int chunkSize, int writersPerFile, boolean verify)
            throws Exception {
        int chunks = (int) ((size + chunkSize - 1) / chunkSize);
        int writers = Math.min(Math.min(writersPerFile, target.maxWritersPerUpload()), chunks);
        int threads = files * writers;
        FileJob[] jobs = new FileJob[files];
        for (int f = 0; f < files; f++) {
            jobs[f] = new FileJob(writers);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long start;
        long end;
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int f = 0; f < files; f++) {
                FileJob job = jobs[f];
                for (int w = 0; w < writers; w++) {
                    boolean first = w == 0;
                    futures.add(pool.submit(() -> writeFile(target, job, first, size, chunkSize, ready, go)));
                }
            }
            if (!ready.await(MEASUREMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new TimeoutException("the connections were not ready in " + MEASUREMENT_TIMEOUT_SECONDS + " s");
            }
            start = System.nanoTime();
            go.countDown();
            end = start;
            long deadline = start + TimeUnit.SECONDS.toNanos(MEASUREMENT_TIMEOUT_SECONDS);
            Exception failure = null;
            for (Future<Long> future : futures) {
                try {
                    end = Math.max(end, future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause : e;
                    }
                } catch (TimeoutException e) {
                    throw new TimeoutException("the uploads did not finish in " + MEASUREMENT_TIMEOUT_SECONDS + " s");
                }
            }
            if (failure != null) {
                for (FileJob job : jobs) {
                    if (job.failure != null) {
                        throw job.failure;
                    }
                }
                throw failure;
            }
            if (verify) {
                verifyFiles(target, row, jobs, size, writers);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            discardAll(target, jobs);
        }
        return files * size / MIB / ((end - start) / 1e9);
    }

    private Long writeFile(
            E2eTarget target,
            FileJob job,
            boolean first,
            long size,
            int chunkSize,
            CountDownLatch ready,
            CountDownLatch go)
            throws Exception {
        boolean counted = false;
        boolean readied = false;
        try (E2eTarget.Connection c = target.connect()) {
            ready.countDown();
            readied = true;
            go.await();
            if (first) {
                job.created.complete(c.create(size, chunkSize));
            }
            E2eTarget.Upload upload = job.created.get();
            for (int i = job.next.getAndIncrement();
                    i < upload.chunks() && job.failure == null;
                    i = job.next.getAndIncrement()) {
                c.write(upload, i, payload.slices(upload.offset(i), upload.length(i)));
            }
            job.written.countDown();
            counted = true;
            if (first) {
                job.written.await();
                if (job.failure != null) {
                    throw new IOException("another connection of this upload failed: " + job.failure, job.failure);
                }
                job.finished = c.finish(upload);
            }
            return System.nanoTime();
        } catch (Exception e) {
            if (job.failure == null) {
                job.failure = e;
            }
            if (first) {
                job.created.completeExceptionally(e);
            }
            throw e;
        } finally {
            if (!readied) {
                ready.countDown();
            }
            if (!counted) {
                job.written.countDown();
            }
        }
    }

    private void verifyFiles(E2eTarget target, int row, FileJob[] jobs, long size, int writers) throws IOException {
        byte[] expected = payload.sha256(size);
        int checked = 0;
        for (FileJob job : jobs) {
            if (job.finished.storedFile().isEmpty()) {
                continue;
            }
            Path file = job.finished.storedFile().get();
            if (!Files.isRegularFile(file)) {
                throw new IOException("the stored file " + file + " does not exist");
            }
            byte[] actual = Payload.sha256(file);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new IOException("the stored file " + file + " has SHA-256 "
                        + HexFormat.of().formatHex(actual) + ", the bytes sent "
                        + HexFormat.of().formatHex(expected));
            }
            checked++;
        }
        String files = jobs.length == 1 ? "1 upload" : jobs.length + " uploads";
        String hashes = checked == 0
                ? "nothing stored, so no SHA-256 to compare"
                : (checked == jobs.length ? "" : checked + " of ") + "SHA-256 of the stored file"
                        + (checked == 1 ? "" : "s") + " = SHA-256 of the bytes sent ("
                        + HexFormat.of().formatHex(expected, 0, 8) + "…)";
        verified.add(String.format(
                Locale.ROOT,
                "row %d, %s: %s of %s, %d connection%s per upload; %s; %s",
                row,
                target.name(),
                files,
                size(size),
                writers,
                writers == 1 ? "" : "s",
                jobs[0].finished.evidence(),
                hashes));
    }

    private void discardAll(E2eTarget target, FileJob[] jobs) {
        try (E2eTarget.Connection c = target.connect()) {
            for (FileJob job : jobs) {
                E2eTarget.Upload upload = job.created.getNow(null);
                if (upload == null) {
                    continue;
                }
                try {
                    c.discard(upload, job.finished);
                } catch (IOException | RuntimeException e) {
                    warnings.add(target.name() + ": removing an upload failed (" + e.getMessage() + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            warnings.add(target.name() + ": removing uploads failed (" + e.getMessage() + ")");
        } catch (Exception e) {
            warnings.add(target.name() + ": " + e);
        }
    }
}
