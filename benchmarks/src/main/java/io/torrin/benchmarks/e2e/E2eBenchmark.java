/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import static io.torrin.benchmarks.tus.Runs.deleteRecursively;
import static io.torrin.benchmarks.tus.Runs.size;

import io.torrin.benchmarks.tus.ForeignCpu;
import io.torrin.benchmarks.tus.NodeTusTarget;
import io.torrin.benchmarks.tus.Payload;
import io.torrin.benchmarks.tus.Runs;
import io.torrin.benchmarks.tus.Runs.Result;
import io.torrin.benchmarks.tus.TusJavaServerTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code e2e} scenario: the Torrin wire protocol end to end over HTTP on loopback, next to the limits of this
 * machine and to tus peers, all measured in one run and driven by one fixed client per protocol ({@link TorrinClient},
 * and {@link io.torrin.benchmarks.tus.TusClient} for the peers), one connection per client thread.
 *
 * <p>Columns ({@link E2eTarget}):
 * <ul>
 *   <li><b>Torrin</b> ({@link TorrinHttpTarget#startTorrin}): {@code TorrinServlet(TorrinProtocolHandler)} on
 *       embedded Jetty 12, local driver with {@code Durability.NONE}, file store with {@code fsync(false)};</li>
 *   <li>limits: <b>disk</b> ({@link DiskTarget}, plain positional {@code FileChannel} writes of the same bytes with
 *       the same parallelism; upload rows only) and <b>HTTP</b> ({@link TorrinSinkServlet}, the Torrin routes
 *       answered from memory on the same Jetty, bodies discarded; every row);</li>
 *   <li>peers ({@link TusPeerTarget}): tus-java-server 1.0.0-3.0 without its per-PATCH fsync, and
 *       {@code @tus/server} 2.4.5 with {@code @tus/file-store} 2.1.1 on Node, doing the tus equivalent of each
 *       row.</li>
 * </ul>
 *
 * <p>Rows:
 * <ol>
 *   <li>one 1 GiB upload in 8 MiB chunks, 4 chunks in parallel on 4 connections (tus: one connection, PATCHes in
 *       order, as the core protocol requires) (MiB/s);</li>
 *   <li>one 256 MiB upload in 1 MiB chunks, one connection (MiB/s);</li>
 *   <li>1 KiB chunks: 8 connections, each on its own upload, chunk after chunk for a fixed window (requests/s);</li>
 *   <li>status ({@code GET /{id}/status}; tus {@code HEAD}): 8 connections, each on its own upload of 128 chunks of
 *       1 KiB with the first half stored (requests/s);</li>
 *   <li>64 concurrent uploads of 16 MiB in 1 MiB chunks, one connection each, chunks in order (aggregate MiB/s);</li>
 *   <li>small files: whole uploads of one 1 KiB file each (create, one chunk, finish), one after the other on one
 *       connection, for a fixed window (uploads/s).</li>
 * </ol>
 *
 * <p>Durability ({@code --durability none|fsync}, default {@code none}): with {@code none} every column writes to the
 * page cache only (Torrin {@code Durability.NONE} and the file store without fsync; tus-java-server without its
 * per-PATCH force); with {@code fsync} every column forces each acknowledged chunk: Torrin at its defaults
 * ({@code FSYNC_EACH_CHUNK}, file store with fsync), the disk limit doing the flushes the guarantee needs with plain
 * file calls ({@link DiskTarget#createDataForced}: each chunk's bytes forced, the physical limit; and
 * {@code disk-guarantee}, {@link DiskTarget#createForced}: every flush the guarantee needs), tus-java-server as
 * shipped; the default peers are then {@code disk,disk-guarantee,sink,tjs-fsync} ({@code @tus/server} never forces, so it has no column of that durability). Only
 * columns of Torrin's durability are compared with it.
 * An upload row's time runs from the creation request to the answer that finishes the upload (Torrin's
 * {@code complete}, a tus {@code HEAD} confirming the length, the disk limit's {@code close}). Each row runs one
 * uncounted warm-up per column, then alternating runs with the column order rotating; cells give the median with
 * min–max. The warm-up checks the SHA-256 of every stored file of the upload rows against the bytes sent; every run
 * checks every answer (chunk index or offset, status lists, the completion answer). Between measurements, outside
 * the timings, uploads are removed, the JVM collects garbage and {@code sync} flushes dirty pages.
 *
 * <p>Options: {@code --quick} (128 MiB, 32 MiB and 16 × 4 MiB uploads, 2 s windows, 1 run) {@code --durability none
 * --runs 3 --warmup 1 --rows 1,2,3,4,5,6 --peers disk,sink,tjs,node} (also {@code tjs-fsync}: tus-java-server as shipped, fsync
 * per PATCH, shown but never compared) {@code --large-mib 1024 --large-chunk-mib 8 --large-connections 4
 * --medium-mib 256 --medium-chunk-mib 1 --small-chunk-bytes 1024 --rate-upload-mib 64 --status-chunks 128 --threads 8
 * --many-uploads 64 --many-mib 16 --many-chunk-mib 1 --small-file-bytes 1024 --window-seconds 5 --node-dir benchmarks/node --dir <temp parent>
 * --max-other-cpu 10 --retries 1 (0 with --quick) --quiet-wait-seconds 5 (2 with --quick)}.
 *
 * <p>On a shared machine a measured run first waits up to {@code --quiet-wait-seconds} for other processes to use at
 * most {@code --max-other-cpu} percent of the CPUs; the share they took during the run is printed with it
 * ({@link ForeignCpu}) and a disturbed run is measured again up to {@code --retries} times.
 */
public final class E2eBenchmark {

    /** How long one measurement may take beyond its window before it counts as failed (a hung server). */
    static final long MEASUREMENT_TIMEOUT_SECONDS = 300;

    private final E2eSettings settings;
    private final Payload payload = new Payload(42);
    private final Set<String> verified = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final E2eUploads uploads = new E2eUploads(payload, verified, warnings);
    private final E2eReport report;

    private E2eBenchmark(E2eSettings settings) {
        this.settings = settings;
        this.report = new E2eReport(settings, verified, warnings);
    }

    /**
     * Runs the benchmark: {@link #run(String[])}.
     *
     * @param args the options
     * @throws Exception if it cannot run
     */
    public static void main(String[] args) throws Exception {
        run(args);
    }

    /**
     * Starts every column's server, measures the rows and prints the Markdown table, the machine and the checks.
     *
     * @param args the options (see the class description)
     * @throws Exception if a server cannot be started or the run cannot proceed
     */
    public static void run(String[] args) throws Exception {
        E2eSettings settings = E2eSettings.parse(args);
        TusJavaServerTarget.quietLogging();
        new E2eBenchmark(settings).execute();
    }

    private void execute() throws Exception {
        long began = System.nanoTime();
        List<E2eTarget> targets = new ArrayList<>();
        Path base = Files.createTempDirectory(settings.parent(), "torrin-e2e-bench-");
        try {
            boolean durable = settings.durable();
            targets.add(TorrinHttpTarget.startTorrin(base.resolve("torrin"), false, durable));
            for (String peer : settings.peers()) {
                targets.add(
                        switch (peer) {
                            case "disk" ->
                                durable
                                        ? DiskTarget.createDataForced(base.resolve("disk"))
                                        : DiskTarget.create(base.resolve("disk"));
                            case "disk-guarantee" -> DiskTarget.createForced(base.resolve("disk-guarantee"));
                            case "sink" -> TorrinHttpTarget.startSink();
                            case "metrics" ->
                                TorrinHttpTarget.startTorrin(base.resolve("torrin-metrics"), true, durable);
                            case "tjs" ->
                                new TusPeerTarget(TusJavaServerTarget.start(base.resolve("tus-java-server"), false));
                            case "tjs-fsync" ->
                                new TusPeerTarget(
                                        TusJavaServerTarget.start(base.resolve("tus-java-server-fsync"), true));
                            case "node" -> {
                                NodeTusTarget node =
                                        NodeTusTarget.start(settings.nodeDirectory(), base.resolve("node"));
                                System.out.println("Node peer: " + node.versions());
                                yield new TusPeerTarget(node);
                            }
                            default ->
                                throw new IllegalArgumentException("unknown peer " + peer
                                        + "; known: disk, disk-guarantee, sink, tjs, node, tjs-fsync, metrics");
                        });
            }
            report.printHeader(base, targets);
            List<Row> rows = new ArrayList<>();
            for (int number : settings.rows()) {
                rows.add(rows().get(number - 1));
            }
            Map<Row, Map<E2eTarget, Result>> results = new LinkedHashMap<>();
            for (Row row : rows) {
                results.put(row, measure(row, targets));
            }
            report.printTable(rows, targets, results);
        } finally {
            for (E2eTarget target : targets) {
                try {
                    target.close();
                } catch (Exception | LinkageError e) {
                    System.err.println("closing " + target.name() + " failed: " + e);
                }
            }
            deleteRecursively(base);
            System.out.printf(Locale.ROOT, "%nTotal time: %.0f s%n", (System.nanoTime() - began) / 1e9);
        }
    }

    // ---------------------------------------------------------------------------------------------- rows and runs

    /** One measured row. */
    record Row(int number, String label, String unit, boolean requests, String peerNote, Measurement measurement) {}

    /** How to measure one run of a row on one column. */
    @FunctionalInterface
    interface Measurement {
        double run(E2eTarget target, boolean verify) throws Exception;
    }

    private void once(Row row, E2eTarget target, Result result, boolean verify, boolean measured, String what) {
        Runs.once(
                result,
                "row " + row.number() + " | " + target.name(),
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
        E2eSettings s = settings;
        return List.of(
                new Row(
                        1,
                        "1 upload of " + size(s.largeBytes()) + " in " + size(s.largeChunk()) + " chunks, "
                                + s.largeConnections() + " in parallel on " + s.largeConnections() + " connections",
                        "MiB/s",
                        false,
                        "tus: 1 connection, PATCHes in order",
                        (t, v) -> uploads.run(t, 1, 1, s.largeBytes(), s.largeChunk(), s.largeConnections(), v)),
                new Row(
                        2,
                        "1 upload of " + size(s.mediumBytes()) + " in " + size(s.mediumChunk())
                                + " chunks, 1 connection",
                        "MiB/s",
                        false,
                        null,
                        (t, v) -> uploads.run(t, 2, 1, s.mediumBytes(), s.mediumChunk(), 1, v)),
                new Row(
                        3,
                        size(s.smallChunk()) + " chunks, " + s.threads() + " connections, one upload each",
                        "requests/s",
                        true,
                        "tus: PATCH",
                        (t, v) -> chunkRate(t, v)),
                new Row(
                        4,
                        "status, " + s.threads() + " connections, one upload each (" + s.statusChunks()
                                + " chunks, half stored)",
                        "requests/s",
                        true,
                        "tus: HEAD",
                        (t, v) -> statusRate(t, v)),
                new Row(
                        5,
                        s.manyUploads() + " concurrent uploads of " + size(s.manyBytes()) + " in " + size(s.manyChunk())
                                + " chunks, 1 connection each",
                        "MiB/s",
                        false,
                        null,
                        (t, v) -> uploads.run(t, 5, s.manyUploads(), s.manyBytes(), s.manyChunk(), 1, v)),
                new Row(
                        6,
                        "sequential uploads of " + size(s.smallFileBytes()) + " files, 1 connection",
                        "uploads/s",
                        false,
                        "tus: POST + PATCH + HEAD",
                        (t, v) -> smallFiles(t, v)));
    }

    private Map<E2eTarget, Result> measure(Row row, List<E2eTarget> all) {
        List<E2eTarget> targets =
                all.stream().filter(t -> !row.requests() || t.servesRequests()).toList();
        return Runs.alternating(
                targets,
                settings.warmup(),
                settings.runs(),
                (target, result, verify, measured, what) -> once(row, target, result, verify, measured, what));
    }

    // ---------------------------------------------------------------------------------------------- rate rows

    /** What each thread of a request-rate row does on its own connection and upload. */
    private interface RateWork {
        E2eTarget.Upload prepare(E2eTarget.Connection c) throws IOException;

        boolean more(E2eTarget.Upload upload, long done);

        void request(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException;

        void check(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException;
    }

    private double chunkRate(E2eTarget target, boolean verify) throws Exception {
        int chunk = settings.smallChunk();
        double rate = concurrently(target, new RateWork() {
            @Override
            public E2eTarget.Upload prepare(E2eTarget.Connection c) throws IOException {
                return c.create(settings.rateUploadBytes(), chunk);
            }

            @Override
            public boolean more(E2eTarget.Upload upload, long done) {
                return done < upload.chunks();
            }

            @Override
            public void request(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException {
                int index = (int) done;
                c.write(upload, index, payload.slices(upload.offset(index), upload.length(index)));
            }

            @Override
            public void check(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException {
                c.expectStored(upload, (int) done);
            }
        });
        if (verify) {
            verified.add("row 3, " + target.name() + ": "
                    + (target instanceof TusPeerTarget
                            ? "every PATCH's Upload-Offset, and a final HEAD offset = PATCHes × " + chunk
                            : "every chunk answer names its index, and a final status lists exactly the chunks sent")
                    + ", on every connection's upload of " + size(settings.rateUploadBytes()));
        }
        return rate;
    }

    private double statusRate(E2eTarget target, boolean verify) throws Exception {
        int chunk = settings.smallChunk();
        int total = settings.statusChunks();
        int half = total / 2;
        double rate = concurrently(target, new RateWork() {
            @Override
            public E2eTarget.Upload prepare(E2eTarget.Connection c) throws IOException {
                E2eTarget.Upload upload = c.create((long) total * chunk, chunk);
                for (int i = 0; i < half; i++) {
                    c.write(upload, i, payload.slices(upload.offset(i), upload.length(i)));
                }
                return upload;
            }

            @Override
            public boolean more(E2eTarget.Upload upload, long done) {
                return true;
            }

            @Override
            public void request(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException {
                c.expectStored(upload, half);
            }

            @Override
            public void check(E2eTarget.Connection c, E2eTarget.Upload upload, long done) {
                // every answer was checked
            }
        });
        if (verify) {
            verified.add("row 4, " + target.name() + ": every "
                    + (target instanceof TusPeerTarget
                            ? "HEAD answered Upload-Offset = " + (long) half * chunk
                            : "status answer listed " + half + " received and " + (total - half) + " missing chunks")
                    + " (upload of " + total + " × " + size(chunk) + ", first half stored)");
        }
        return rate;
    }

    /**
     * Row 6: whole uploads of one small file each, one after the other on one connection, for the window: create,
     * the one chunk, finish (Torrin: init, PUT, complete; tus: POST, PATCH, HEAD; disk: the same flushes with plain
     * file calls). The stored files are removed after the window; in the verifying run the SHA-256 of every one is
     * compared with the bytes sent.
     */
    private double smallFiles(E2eTarget target, boolean verify) throws Exception {
        int size = settings.smallFileBytes();
        byte[] expected = payload.sha256(size);
        return Runs.rate(
                1,
                settings.windowSeconds(),
                MEASUREMENT_TIMEOUT_SECONDS,
                new Runs.RateWork<E2eTarget.Connection, List<Object[]>>() {
                    @Override
                    public E2eTarget.Connection connect() throws IOException {
                        return target.connect();
                    }

                    @Override
                    public List<Object[]> prepare(E2eTarget.Connection c) {
                        return new ArrayList<>();
                    }

                    @Override
                    public boolean more(List<Object[]> done, long count) {
                        return true;
                    }

                    @Override
                    public void request(E2eTarget.Connection c, List<Object[]> done, long count) throws IOException {
                        E2eTarget.Upload upload = c.create(size, size);
                        c.write(upload, 0, payload.slices(0, size));
                        done.add(new Object[] {upload, c.finish(upload)});
                    }

                    @Override
                    public void finish(E2eTarget.Connection c, List<Object[]> done, long count) throws IOException {
                        int checked = 0;
                        for (Object[] pair : done) {
                            E2eTarget.Finished finished = (E2eTarget.Finished) pair[1];
                            if (verify && finished.storedFile().isPresent()) {
                                byte[] actual =
                                        Payload.sha256(finished.storedFile().get());
                                if (!Arrays.equals(actual, expected)) {
                                    throw new IOException("the stored file "
                                            + finished.storedFile().get() + " differs from the bytes sent (SHA-256)");
                                }
                                checked++;
                            }
                            c.discard((E2eTarget.Upload) pair[0], finished);
                        }
                        if (verify) {
                            verified.add("row 6, " + target.name() + ": "
                                    + (checked == 0
                                            ? "every finishing answer (nothing stored that the benchmark can read)"
                                            : "SHA-256 of all " + checked
                                                    + " stored files = SHA-256 of the bytes sent"));
                        }
                    }
                });
    }

    /** Runs the threads for the window, all starting together; returns requests per second over all of them. */
    private double concurrently(E2eTarget target, RateWork work) throws Exception {
        return Runs.rate(
                settings.threads(),
                settings.windowSeconds(),
                MEASUREMENT_TIMEOUT_SECONDS,
                new Runs.RateWork<E2eTarget.Connection, E2eTarget.Upload>() {
                    @Override
                    public E2eTarget.Connection connect() throws IOException {
                        return target.connect();
                    }

                    @Override
                    public E2eTarget.Upload prepare(E2eTarget.Connection c) throws IOException {
                        return work.prepare(c);
                    }

                    @Override
                    public boolean more(E2eTarget.Upload upload, long done) {
                        return work.more(upload, done);
                    }

                    @Override
                    public void request(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException {
                        work.request(c, upload, done);
                    }

                    @Override
                    public void finish(E2eTarget.Connection c, E2eTarget.Upload upload, long done) throws IOException {
                        work.check(c, upload, done);
                        c.discard(upload, null);
                    }
                });
    }
}
