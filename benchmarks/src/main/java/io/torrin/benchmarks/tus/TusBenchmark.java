/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import static io.torrin.benchmarks.tus.Runs.deleteRecursively;
import static io.torrin.benchmarks.tus.Runs.size;

import io.torrin.benchmarks.tus.Runs.Result;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code tus} scenario: tus 1.0 servers side by side on loopback, in one run, driven by one fixed client
 * ({@link TusClient}): Torrin's tus endpoint (when given) and the peers tus-java-server 1.0.0-3.0 in Jetty 12
 * ({@link TusJavaServerTarget}) and {@code @tus/server} 2.4.5 + {@code @tus/file-store} 2.1.1 on Node
 * ({@link NodeTusTarget}).
 *
 * <p>Rows, each measured on every server:
 * <ol>
 *   <li>one 1 GiB upload in 8 MiB PATCHes, sent one after the other on one connection (MiB/s, from the creation
 *       {@code POST} to the last PATCH's answer);</li>
 *   <li>one 256 MiB upload in 1 MiB PATCHes, the same way (MiB/s);</li>
 *   <li>1 KiB PATCHes: 8 threads, each with its own connection and its own upload, PATCH back to back for a fixed
 *       window (requests/s over all threads);</li>
 *   <li>HEAD: 8 threads, each with its own connection and its own half-written upload, HEAD back to back for the
 *       window (requests/s).</li>
 * </ol>
 * Each row runs one uncounted warm-up per server, then alternating runs (the server order rotates from run to run);
 * the table gives the median with min and max. Every run checks the offsets the server reports (each PATCH's answer,
 * a final HEAD); the warm-up of rows 1 and 2 also compares the SHA-256 of the stored file with the bytes sent when the
 * server says where the file is ({@link TusTarget#storedFile}). Between measurements, outside the timings, uploads
 * are terminated (or their files deleted), the JVM collects garbage and {@code sync} flushes dirty pages, so one
 * server's writeback does not land in the next one's measurement.
 *
 * <p>Durability is stated per server ({@link TusTarget#durability()}); Torrin is compared (ratio column) only with the
 * fastest peer of the same durability. The peers' default columns are the page-cache ones: {@code @tus/file-store}
 * never fsyncs, and tus-java-server runs with {@link PageCacheDiskStorageService}, because as shipped it forces the
 * data file after every PATCH; the shipped variant is measured too, as a separate column ({@code tjs-fsync}).
 *
 * <p>Options: {@code --quick} (128 MiB / 32 MiB uploads, 2 s windows, 1 run) {@code --runs 3 --warmup 1
 * --large-mib 1024 --large-patch-mib 8 --medium-mib 256 --medium-patch-mib 1 (or --medium-patch-kib 64) --small-patch-bytes 1024 --threads 8
 * --rate-upload-mib 1024 --window-seconds 5 --rows 1,2,3,4 --peers tjs,node,tjs-fsync --node-dir benchmarks/node
 * --dir <temp parent> --max-other-cpu 10 --retries 1 --quiet-wait-seconds 10 (3 with --quick)}.
 *
 * <p>The machine may be shared (builds and tests of other work running meanwhile): before a measured run the benchmark
 * waits up to {@code --quiet-wait-seconds} for other processes to take at most {@code --max-other-cpu} percent of the
 * CPUs, records how much they took during the run ({@link ForeignCpu}, printed with every run), and measures a
 * disturbed run again, at most {@code --retries} times.
 */
public final class TusBenchmark {

    private static final double MIB = 1024.0 * 1024.0;
    /** How long preparing or finishing a rate measurement may take before it counts as failed (a hung server). */
    private static final long MEASUREMENT_TIMEOUT_SECONDS = 300;

    private final TusSettings settings;
    private final Payload payload = new Payload(42);
    private final Set<String> verified = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final TusReport report;

    private TusBenchmark(TusSettings settings) {
        this.settings = settings;
        this.report = new TusReport(settings, verified, warnings);
    }

    /**
     * Runs the peers only: {@code run(args, null)}.
     *
     * @param args the options
     * @throws Exception if the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        run(args, null);
    }

    /**
     * Runs the benchmark and prints its Markdown table to standard output.
     *
     * @param args the options (see the class description)
     * @param ours Torrin's tus endpoint, already running, or {@code null} to measure the peers only; the benchmark
     *     takes it over and closes it at the end, also on failure
     * @throws Exception if a server cannot be started or the run cannot proceed
     */
    public static void run(String[] args, TusTarget ours) throws Exception {
        TusSettings settings;
        try {
            settings = TusSettings.parse(args);
        } catch (RuntimeException e) {
            closeQuietly(ours);
            throw e;
        }
        TusJavaServerTarget.quietLogging();
        new TusBenchmark(settings).execute(ours);
    }

    private void execute(TusTarget ours) throws Exception {
        List<TusTarget> targets = new ArrayList<>();
        if (ours != null) {
            targets.add(ours);
        }
        Path base = null;
        try {
            base = Files.createTempDirectory(settings.parent(), "torrin-tus-bench-");
            for (String peer : settings.peers()) {
                targets.add(
                        switch (peer) {
                            case "tjs" -> TusJavaServerTarget.start(base.resolve("tus-java-server"), false);
                            case "sink" -> SinkTusTarget.start();
                            case "tjs-fsync" -> TusJavaServerTarget.start(base.resolve("tus-java-server-fsync"), true);
                            case "node" -> {
                                NodeTusTarget node =
                                        NodeTusTarget.start(settings.nodeDirectory(), base.resolve("node"));
                                System.out.println("Node peer: " + node.versions());
                                yield node;
                            }
                            default ->
                                throw new IllegalArgumentException(
                                        "unknown peer " + peer + "; known: sink, tjs, node, tjs-fsync");
                        });
            }
            report.printHeader(base, targets);
            List<Row> rows = new ArrayList<>();
            for (int number : settings.rows()) {
                rows.add(rows().get(number - 1));
            }
            Map<Row, Map<TusTarget, Result>> results = new LinkedHashMap<>();
            for (Row row : rows) {
                results.put(row, measure(row, targets));
            }
            report.printTable(rows, targets, ours, results);
        } finally {
            for (TusTarget target : targets) {
                closeQuietly(target);
            }
            if (base != null) {
                deleteRecursively(base);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- rows and runs

    /** One measured row: a label, a unit, and how to measure one run on one server. */
    record Row(String label, String unit, Measurement measurement) {}

    /** How to measure one run of a row on one server. */
    @FunctionalInterface
    interface Measurement {
        double run(TusTarget target, boolean verify) throws Exception;
    }

    private void once(Row row, TusTarget target, Result result, boolean verify, boolean measured, String what) {
        Runs.once(
                result,
                row.label() + " | " + target.name(),
                what,
                row.unit(),
                measured,
                verify,
                settings.maxOtherCpu(),
                settings.quietWait(),
                settings.retries(),
                check -> row.measurement().run(target, check));
    }

    private List<Row> rows() {
        TusSettings s = settings;
        return List.of(
                new Row(
                        size(s.largeBytes()) + " in " + size(s.largePatchBytes()) + " PATCHes, 1 connection",
                        "MiB/s",
                        (target, verify) -> sequentialUpload(target, s.largeBytes(), s.largePatchBytes(), verify)),
                new Row(
                        size(s.mediumBytes()) + " in " + size(s.mediumPatchBytes()) + " PATCHes, 1 connection",
                        "MiB/s",
                        (target, verify) -> sequentialUpload(target, s.mediumBytes(), s.mediumPatchBytes(), verify)),
                new Row(
                        size(s.smallPatchBytes()) + " PATCHes, " + s.threads() + " connections, one upload each",
                        "requests/s",
                        (target, verify) -> patchRate(target, verify)),
                new Row(
                        "HEAD, " + s.threads() + " connections, one upload each",
                        "requests/s",
                        (target, verify) -> headRate(target, verify)));
    }

    private Map<TusTarget, Result> measure(Row row, List<TusTarget> targets) {
        return Runs.alternating(
                targets,
                settings.warmup(),
                settings.runs(),
                (target, result, verify, measured, what) -> once(row, target, result, verify, measured, what));
    }

    // ---------------------------------------------------------------------------------------------- measurements

    private double sequentialUpload(TusTarget target, long size, int patchSize, boolean verify) throws Exception {
        try (TusClient client = new TusClient(target.creationUrl())) {
            long start = System.nanoTime();
            URI upload = client.create(size);
            long offset = 0;
            while (offset < size) {
                int n = (int) Math.min(patchSize, size - offset);
                long answered = client.patch(upload, offset, payload.slices(offset, n));
                if (answered != offset + n) {
                    throw new IOException(
                            "PATCH at " + offset + " of " + n + " bytes answered Upload-Offset " + answered);
                }
                offset = answered;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long reported = client.offset(upload);
            if (reported != size) {
                throw new IOException(
                        "HEAD after the upload answered Upload-Offset " + reported + ", expected " + size);
            }
            if (verify) {
                String hash = verifyStoredBytes(target, upload, size);
                verified.add(target.name() + ", " + size(size) + " upload: HEAD offset = " + size + "; " + hash);
            }
            discard(client, target, upload);
            return size / MIB / seconds;
        }
    }

    private String verifyStoredBytes(TusTarget target, URI upload, long size) throws IOException {
        Optional<Path> file = target.storedFile(upload);
        if (file.isEmpty()) {
            return "SHA-256 not checked (storage location not given)";
        }
        if (!Files.isRegularFile(file.get())) {
            warnings.add(target.name() + ": the stored file " + file.get() + " does not exist; SHA-256 not checked");
            return "SHA-256 not checked (no file at " + file.get() + ")";
        }
        byte[] expected = payload.sha256(size);
        byte[] actual = Payload.sha256(file.get());
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new IOException("the stored file " + file.get() + " has SHA-256 "
                    + HexFormat.of().formatHex(actual) + ", the bytes sent "
                    + HexFormat.of().formatHex(expected));
        }
        return "SHA-256 of the stored file matches (" + HexFormat.of().formatHex(actual, 0, 8) + "…)";
    }

    private double patchRate(TusTarget target, boolean verify) throws Exception {
        int size = settings.smallPatchBytes();
        long length = settings.rateUploadBytes();
        double rate = concurrently(target, new RateWork() {
            @Override
            public URI prepare(TusClient client) throws IOException {
                return client.create(length);
            }

            @Override
            public boolean more(long done) {
                return (done + 1) * size <= length;
            }

            @Override
            public void request(TusClient client, URI upload, long done) throws IOException {
                long offset = done * size;
                long answered = client.patch(upload, offset, payload.slices(offset, size));
                if (answered != offset + size) {
                    throw new IOException("PATCH at " + offset + " answered Upload-Offset " + answered);
                }
            }

            @Override
            public void check(TusClient client, URI upload, long done) throws IOException {
                long reported = client.offset(upload);
                if (reported != done * size) {
                    throw new IOException("after " + done + " PATCHes of " + size + " bytes HEAD answered " + reported);
                }
            }
        });
        if (verify) {
            verified.add(target.name() + ", " + size(size) + " PATCHes: each answer's Upload-Offset, and a final HEAD"
                    + " offset = PATCHes × " + size + " on every upload");
        }
        return rate;
    }

    private double headRate(TusTarget target, boolean verify) throws Exception {
        int size = settings.smallPatchBytes();
        double rate = concurrently(target, new RateWork() {
            @Override
            public URI prepare(TusClient client) throws IOException {
                URI upload = client.create(2L * size);
                client.patch(upload, 0, payload.slices(0, size));
                return upload;
            }

            @Override
            public boolean more(long done) {
                return true;
            }

            @Override
            public void request(TusClient client, URI upload, long done) throws IOException {
                long offset = client.offset(upload);
                if (offset != size) {
                    throw new IOException("HEAD answered Upload-Offset " + offset + ", expected " + size);
                }
            }

            @Override
            public void check(TusClient client, URI upload, long done) {
                // every answer was checked
            }
        });
        if (verify) {
            verified.add(target.name() + ", HEAD: every answer's Upload-Offset = " + size + " (upload of " + 2 * size
                    + " bytes, half written)");
        }
        return rate;
    }

    /** What each thread of a request-rate row does with its own connection and upload. */
    private interface RateWork {
        URI prepare(TusClient client) throws IOException;

        boolean more(long done);

        void request(TusClient client, URI upload, long done) throws IOException;

        void check(TusClient client, URI upload, long done) throws IOException;
    }

    /** Runs {@code threads} connections for the window, all starting together; returns requests per second. */
    private double concurrently(TusTarget target, RateWork work) throws Exception {
        return Runs.rate(
                settings.threads(),
                settings.windowSeconds(),
                MEASUREMENT_TIMEOUT_SECONDS,
                new Runs.RateWork<TusClient, URI>() {
                    @Override
                    public TusClient connect() {
                        return new TusClient(target.creationUrl());
                    }

                    @Override
                    public URI prepare(TusClient client) throws IOException {
                        return work.prepare(client);
                    }

                    @Override
                    public boolean more(URI upload, long done) {
                        return work.more(done);
                    }

                    @Override
                    public void request(TusClient client, URI upload, long done) throws IOException {
                        work.request(client, upload, done);
                    }

                    @Override
                    public void finish(TusClient client, URI upload, long done) throws IOException {
                        work.check(client, upload, done);
                        discard(client, target, upload);
                    }
                });
    }

    /** Terminates an upload (DELETE); if the server does not, deletes its stored file when known. */
    private void discard(TusClient client, TusTarget target, URI upload) {
        try {
            if (client.delete(upload)) {
                return;
            }
        } catch (IOException e) {
            warnings.add(target.name() + ": DELETE failed (" + e.getMessage() + ")");
        }
        try {
            Optional<Path> file = target.storedFile(upload);
            if (file.isPresent()) {
                Files.deleteIfExists(file.get());
            }
        } catch (IOException e) {
            warnings.add(target.name() + ": could not delete a stored file (" + e.getMessage() + ")");
        }
    }

    private static void closeQuietly(TusTarget target) {
        if (target == null) {
            return;
        }
        try {
            target.close();
        } catch (Exception e) {
            System.err.println("closing " + target.name() + " failed: " + e);
        }
    }
}
