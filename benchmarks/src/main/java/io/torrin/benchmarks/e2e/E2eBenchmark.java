package io.torrin.benchmarks.e2e;

import static io.torrin.benchmarks.tus.Runs.deleteRecursively;
import static io.torrin.benchmarks.tus.Runs.median;
import static io.torrin.benchmarks.tus.Runs.size;

import io.torrin.benchmarks.tus.ForeignCpu;
import io.torrin.benchmarks.tus.NodeTusTarget;
import io.torrin.benchmarks.tus.Payload;
import io.torrin.benchmarks.tus.Runs;
import io.torrin.benchmarks.tus.Runs.Result;
import io.torrin.benchmarks.tus.TusJavaServerTarget;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
import java.util.stream.Stream;

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
 *   <li>64 concurrent uploads of 16 MiB in 1 MiB chunks, one connection each, chunks in order (aggregate MiB/s).</li>
 * </ol>
 * An upload row's time runs from the creation request to the answer that finishes the upload (Torrin's
 * {@code complete}, a tus {@code HEAD} confirming the length, the disk limit's {@code close}). Each row runs one
 * uncounted warm-up per column, then alternating runs with the column order rotating; cells give the median with
 * min–max. The warm-up checks the SHA-256 of every stored file of the upload rows against the bytes sent; every run
 * checks every answer (chunk index or offset, status lists, the completion answer). Between measurements, outside
 * the timings, uploads are removed, the JVM collects garbage and {@code sync} flushes dirty pages.
 *
 * <p>Options: {@code --quick} (128 MiB, 32 MiB and 16 × 4 MiB uploads, 2 s windows, 1 run) {@code --runs 3
 * --warmup 1 --rows 1,2,3,4,5 --peers disk,sink,tjs,node} (also {@code tjs-fsync}: tus-java-server as shipped, fsync
 * per PATCH, shown but never compared) {@code --large-mib 1024 --large-chunk-mib 8 --large-connections 4
 * --medium-mib 256 --medium-chunk-mib 1 --small-chunk-bytes 1024 --rate-upload-mib 64 --status-chunks 128 --threads 8
 * --many-uploads 64 --many-mib 16 --many-chunk-mib 1 --window-seconds 5 --node-dir benchmarks/node --dir <temp parent>
 * --max-other-cpu 10 --retries 1 (0 with --quick) --quiet-wait-seconds 5 (2 with --quick)}.
 *
 * <p>On a shared machine a measured run first waits up to {@code --quiet-wait-seconds} for other processes to use at
 * most {@code --max-other-cpu} percent of the CPUs; the share they took during the run is printed with it
 * ({@link ForeignCpu}) and a disturbed run is measured again up to {@code --retries} times.
 */
public final class E2eBenchmark {

    private static final double MIB = 1024.0 * 1024.0;
    /** How long one measurement may take beyond its window before it counts as failed (a hung server). */
    private static final long MEASUREMENT_TIMEOUT_SECONDS = 300;

    private final Settings settings;
    private final Payload payload = new Payload(42);
    private final Set<String> verified = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    private E2eBenchmark(Settings settings) {
        this.settings = settings;
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
        Settings settings = Settings.parse(args);
        TusJavaServerTarget.quietLogging();
        new E2eBenchmark(settings).execute();
    }

    private void execute() throws Exception {
        long began = System.nanoTime();
        List<E2eTarget> targets = new ArrayList<>();
        Path base = Files.createTempDirectory(settings.parent(), "torrin-e2e-bench-");
        try {
            targets.add(TorrinHttpTarget.startTorrin(base.resolve("torrin")));
            for (String peer : settings.peers()) {
                targets.add(
                        switch (peer) {
                            case "disk" -> DiskTarget.create(base.resolve("disk"));
                            case "sink" -> TorrinHttpTarget.startSink();
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
                                throw new IllegalArgumentException(
                                        "unknown peer " + peer + "; known: disk, sink, tjs, node, tjs-fsync");
                        });
            }
            printHeader(base, targets);
            List<Row> rows = new ArrayList<>();
            for (int number : settings.rows()) {
                rows.add(rows().get(number - 1));
            }
            Map<Row, Map<E2eTarget, Result>> results = new LinkedHashMap<>();
            for (Row row : rows) {
                results.put(row, measure(row, targets));
            }
            printTable(rows, targets, results);
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
    private record Row(
            int number, String label, String unit, boolean requests, String peerNote, Measurement measurement) {}

    @FunctionalInterface
    private interface Measurement {
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
        Settings s = settings;
        return List.of(
                new Row(
                        1,
                        "1 upload of " + size(s.largeBytes()) + " in " + size(s.largeChunk()) + " chunks, "
                                + s.largeConnections() + " in parallel on " + s.largeConnections() + " connections",
                        "MiB/s",
                        false,
                        "tus: 1 connection, PATCHes in order",
                        (t, v) -> uploads(t, 1, 1, s.largeBytes(), s.largeChunk(), s.largeConnections(), v)),
                new Row(
                        2,
                        "1 upload of " + size(s.mediumBytes()) + " in " + size(s.mediumChunk())
                                + " chunks, 1 connection",
                        "MiB/s",
                        false,
                        null,
                        (t, v) -> uploads(t, 2, 1, s.mediumBytes(), s.mediumChunk(), 1, v)),
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
                        (t, v) -> uploads(t, 5, s.manyUploads(), s.manyBytes(), s.manyChunk(), 1, v)));
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

    // ---------------------------------------------------------------------------------------------- upload rows

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
    private double uploads(
            E2eTarget target, int row, int files, long size, int chunkSize, int writersPerFile, boolean verify)
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

    // ---------------------------------------------------------------------------------------------- output

    private void printHeader(Path base, List<E2eTarget> targets) {
        Settings s = settings;
        System.out.printf(
                Locale.ROOT,
                "e2e%s: %d run(s) after %d warm-up(s) per row and column, column order rotating;"
                        + " rate windows %.1f s; storage under %s%n",
                s.quick() ? " --quick" : "",
                s.runs(),
                s.warmup(),
                s.windowSeconds(),
                base);
        System.out.println("Machine: " + machine(base));
        for (E2eTarget target : targets) {
            String where = target instanceof TorrinHttpTarget http
                    ? " at " + http.mountUrl()
                    : target instanceof TusPeerTarget tus ? " at " + tus.creationUrl() : "";
            System.out.println("column: " + target.name() + where);
        }
        System.out.println();
    }

    private void printTable(List<Row> rows, List<E2eTarget> targets, Map<Row, Map<E2eTarget, Result>> results) {
        E2eTarget ours = targets.get(0);
        boolean disk = targets.stream().anyMatch(t -> t.role() == E2eTarget.Role.DISK_LIMIT);
        boolean sink = targets.stream().anyMatch(t -> t.role() == E2eTarget.Role.HTTP_LIMIT);
        boolean peers = targets.stream().anyMatch(t -> t.role() == E2eTarget.Role.PEER);
        System.out.println();
        StringBuilder header = new StringBuilder("| row |");
        StringBuilder rule = new StringBuilder("|---|");
        for (E2eTarget target : targets) {
            header.append(' ').append(target.name()).append(" |");
            rule.append("---:|");
        }
        if (disk) {
            header.append(" Torrin / disk limit |");
            rule.append("---:|");
        }
        if (sink) {
            header.append(" Torrin / HTTP limit |");
            rule.append("---:|");
        }
        if (peers) {
            header.append(" Torrin / faster peer |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        List<Integer> aboveLimit = new ArrayList<>();
        for (Row row : rows) {
            Map<E2eTarget, Result> byTarget = results.get(row);
            for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
                Double limit = medianOf(entry.getValue());
                Double mine = medianOf(byTarget.get(ours));
                if (entry.getKey().role() == E2eTarget.Role.DISK_LIMIT
                        && limit != null
                        && mine != null
                        && mine > limit) {
                    aboveLimit.add(row.number());
                }
            }
            StringBuilder line = new StringBuilder("| " + row.number() + ". " + row.label()
                    + (row.peerNote() == null || !peers ? "" : " (" + row.peerNote() + ")") + " (" + row.unit()
                    + ") |");
            for (E2eTarget target : targets) {
                Result result = byTarget.get(target);
                line.append(' ')
                        .append(result == null ? "n/a" : result.cell(row.unit()))
                        .append(" |");
            }
            if (disk) {
                line.append(' ')
                        .append(limitRatio(ours, byTarget, E2eTarget.Role.DISK_LIMIT))
                        .append(" |");
            }
            if (sink) {
                line.append(' ')
                        .append(limitRatio(ours, byTarget, E2eTarget.Role.HTTP_LIMIT))
                        .append(" |");
            }
            if (peers) {
                line.append(' ').append(peerRatio(ours, byTarget)).append(" |");
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("Cells: median (min–max) over " + settings.runs() + " run(s) after " + settings.warmup()
                + " warm-up(s); higher is better everywhere; n/a: the row does not apply (the disk limit makes no"
                + " requests). Ratios compare medians; \"faster peer\" is the faster of the tus servers that do not"
                + " fsync per PATCH.");
        if (!aboveLimit.isEmpty()) {
            System.out.println("Torrin / disk limit above 1 (row "
                    + aboveLimit.stream()
                            .map(String::valueOf)
                            .reduce((x, y) -> x + ", " + y)
                            .orElse("") + "): the disk limit writes into the page cache and did"
                    + " not reach its ceiling there; on a VM, fresh page-cache writes of this size vary several-fold"
                    + " with the memory state the previous column left (compare row 2, or `--peers disk` alone)."
                    + " Read such a row as \"not bound by the disk\", not as a ratio.");
        }
        if (rows.stream().anyMatch(r -> r.number() == 1) && peers) {
            System.out.println(
                    "Row 1: Torrin, the limits and the disk write one upload on " + settings.largeConnections()
                            + " connections at once; the tus peers cannot: the core tus protocol appends PATCHes at the"
                            + " current offset, one at a time, so their column is one connection sending the same chunks in"
                            + " order (tus's concatenation extension, not used here, would split a file into several uploads).");
        }
        System.out.println("Timing of upload rows: from the creation request to the answer that finishes the upload"
                + " (Torrin and the HTTP limit: POST complete; tus: a HEAD confirming the length; disk: close), all"
                + " uploads of the row started together. Rate rows: requests answered in the window on all"
                + " connections, each connection creating (and for status, half filling) its own upload first,"
                + " outside the window.");
        List<Double> foreign = results.values().stream()
                .flatMap(m -> m.values().stream())
                .flatMap(r -> r.foreignCpu.stream())
                .filter(f -> f >= 0)
                .toList();
        if (!foreign.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "CPU used by other processes during the measured runs: median %.0f%%, max"
                            + " %.0f%% of the machine (see the per-run lines; the servers and the client share the %d"
                            + " CPUs).%n",
                    median(foreign) * 100,
                    foreign.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100,
                    Runtime.getRuntime().availableProcessors());
        }
        System.out.println("Clients: TorrinClient (Torrin, HTTP limit) and TusClient (tus peers), one per connection:"
                + " HTTP/1.1 keep-alive, TCP_NODELAY, request head and body in one gathering write from off-heap"
                + " buffers, no pipelining, 127.0.0.1.");
        System.out.println();
        System.out.println("Durability (what an acknowledged chunk guarantees):");
        for (E2eTarget target : targets) {
            System.out.println("- " + target.name() + ": " + target.durabilityNote());
        }
        System.out.println();
        System.out.println("Verified (once per column and row, in the warm-up; every answer is checked in every run):");
        for (String line : verified) {
            System.out.println("- " + line);
        }
        for (String warning : warnings) {
            System.out.println("- warning: " + warning);
        }
    }

    private static Double medianOf(Result result) {
        return result == null || result.failure != null || result.values.isEmpty() ? null : median(result.values);
    }

    private static String limitRatio(E2eTarget ours, Map<E2eTarget, Result> byTarget, E2eTarget.Role role) {
        Double mine = medianOf(byTarget.get(ours));
        for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
            Double limit = medianOf(entry.getValue());
            if (entry.getKey().role() == role && mine != null && limit != null && limit > 0) {
                return String.format(Locale.ROOT, "%.2f", mine / limit);
            }
        }
        return "–";
    }

    private static String peerRatio(E2eTarget ours, Map<E2eTarget, Result> byTarget) {
        Double mine = medianOf(byTarget.get(ours));
        if (mine == null) {
            return "–";
        }
        E2eTarget fastest = null;
        double best = 0;
        for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
            Double value = medianOf(entry.getValue());
            if (entry.getKey().role() == E2eTarget.Role.PEER
                    && !entry.getKey().name().endsWith("as shipped")
                    && value != null
                    && value > best) {
                best = value;
                fastest = entry.getKey();
            }
        }
        return fastest == null ? "–" : String.format(Locale.ROOT, "**%.2f** (vs %s)", mine / best, fastest.name());
    }

    private static String machine(Path directory) {
        StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" processors");
        readLine(Path.of("/proc/cpuinfo"), "model name")
                .ifPresent(m -> text.append(" (").append(m).append(')'));
        readLine(Path.of("/proc/meminfo"), "MemTotal").ifPresent(m -> {
            String[] fields = m.trim().split("\\s+");
            try {
                text.append(String.format(Locale.ROOT, ", %.1f GiB RAM", Long.parseLong(fields[0]) / 1024.0 / 1024.0));
            } catch (RuntimeException e) {
                text.append(", RAM ").append(m.trim());
            }
        });
        String os = readLine(Path.of("/etc/os-release"), "PRETTY_NAME")
                .map(v -> v.replace("\"", "").replace("=", "").trim())
                .orElse(System.getProperty("os.name"));
        text.append("; ")
                .append(os)
                .append(" (")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.version"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(')');
        text.append("; Java ")
                .append(Runtime.version())
                .append(" (")
                .append(System.getProperty("java.vm.name"))
                .append(", ")
                .append(System.getProperty("java.vendor"))
                .append("), max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20)
                .append(" MiB");
        try {
            FileStore store = Files.getFileStore(directory);
            text.append("; storage: ").append(store.type()).append(" on ").append(store.name());
        } catch (IOException e) {
            // unknown file system: left out
        }
        return text.toString();
    }

    /** The value after the first {@code key} line of a {@code key: value} or {@code KEY=value} file. */
    private static Optional<String> readLine(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key))
                    .findFirst()
                    .map(l ->
                            l.substring(key.length()).replaceFirst("^\\s*:", "").trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------------------------------------- options

    /** The parsed command line. */
    private record Settings(
            boolean quick,
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
                "--quiet-wait-seconds");

        static Settings parse(String[] args) {
            boolean quick = false;
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--quick")) {
                    quick = true;
                } else if (KNOWN.contains(args[i]) && i + 1 < args.length) {
                    options.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]
                            + "; known: --quick " + KNOWN.stream().sorted().toList());
                }
            }
            Path nodeDirectory = Path.of(options.getOrDefault(
                    "--node-dir", Files.isDirectory(Path.of("benchmarks/node")) ? "benchmarks/node" : "node"));
            Settings s = new Settings(
                    quick,
                    integer(options, "--runs", quick ? 1 : 3),
                    integer(options, "--warmup", 1),
                    List.of(options.getOrDefault("--rows", "1,2,3,4,5").split(",")).stream()
                            .map(String::trim)
                            .filter(r -> !r.isEmpty())
                            .map(Integer::valueOf)
                            .toList(),
                    List.of(options.getOrDefault("--peers", "disk,sink,tjs,node")
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
                    Math.toIntExact(mib(options, "--medium-chunk-mib", 1)),
                    integer(options, "--small-chunk-bytes", 1024),
                    mib(options, "--rate-upload-mib", 64),
                    integer(options, "--status-chunks", 128),
                    integer(options, "--threads", 8),
                    integer(options, "--many-uploads", quick ? 16 : 64),
                    mib(options, "--many-mib", quick ? 4 : 16),
                    Math.toIntExact(mib(options, "--many-chunk-mib", 1)),
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
                    || s.statusChunks() < 2
                    || s.rateUploadBytes() < s.smallChunk()) {
                throw new IllegalArgumentException("runs, threads, connections, uploads, sizes and the window must be"
                        + " positive, warm-ups, retries and waits not negative, --status-chunks at least 2");
            }
            if (s.smallChunk() < TorrinHttpTarget.MIN_CHUNK
                    || s.largeChunk() > TorrinHttpTarget.MAX_CHUNK
                    || s.mediumChunk() > TorrinHttpTarget.MAX_CHUNK
                    || s.manyChunk() > TorrinHttpTarget.MAX_CHUNK) {
                throw new IllegalArgumentException("chunk sizes must lie in Torrin's configured range ["
                        + TorrinHttpTarget.MIN_CHUNK + ", " + TorrinHttpTarget.MAX_CHUNK + "]");
            }
            if (s.rows().isEmpty() || s.rows().stream().anyMatch(r -> r < 1 || r > 5)) {
                throw new IllegalArgumentException("--rows takes row numbers 1 to 5, e.g. 1,3");
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
}
