/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.memory;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Server memory per in-flight upload, and heap against file size (the targets: at most 64 KiB of heap per
 * in-flight upload; heap flat with file size). The server runs in a child JVM ({@link MemoryServer}, Torrin
 * protocol and tus on embedded Jetty 12, async-supported servlets as the Spring starter registers them, local
 * driver without fsync, file store without fsync), so only the server is measured; this JVM is the client.
 *
 * <p><b>Plateau</b>, once per protocol in a fresh child ({@code -Xmx256m}): warm up with a few complete uploads;
 * measure the baseline (heap used after {@code System.gc()}, {@code VmRSS} from {@code /proc/<pid>/status}, live
 * threads, direct buffers); create {@code --uploads} (256) uploads of 8 MiB; open one raw socket per upload and
 * send a chunk {@code PUT} (Torrin protocol, {@code Content-Length} 8 MiB) or a tus {@code PATCH} of 8 MiB whose
 * body trickles (16 KiB at once, then 1 KiB per connection every 2 s) so that every request stays in flight; wait
 * until the server is handling all of them; measure again; report (plateau − baseline) / uploads, and the top of the
 * child's heap histogram ({@code jcmd <pid> GC.class_histogram}).
 *
 * <p><b>Flat heap</b>: one child with {@code -Xmx64m}; per protocol, one upload of the small size and one of the
 * large size (64 MiB and 1 GiB; {@code --quick}: 32 and 256 MiB), each after {@code System.gc()} and a reset of
 * the heap pools' peak usage; reports the peak (the sum of the heap pools' peaks, as the other benchmarks do) and
 * the heap used after GC. Torrin protocol: 8 MiB chunk {@code PUT}s then complete; tus: one {@code PATCH} with the
 * whole file.
 *
 * <p>Options: {@code --quick}, {@code --uploads 256}, {@code --xmx 256m}, {@code --flat-xmx 64m},
 * {@code --blocking} (servlets registered without async support: blocking reads on the request thread),
 * {@code --max-threads 1024} (the child's Jetty pool; with Jetty's and Tomcat's default of 200, no more than about
 * 200 uploads can be in flight, since every in-flight body holds a thread), {@code --nmt} (native memory tracking
 * in the plateau child: prints the per-category change of committed native memory; adds its own overhead to RSS),
 * {@code --heap-dump <path prefix>} (writes {@code <prefix>-torrin.hprof} and {@code <prefix>-tus.hprof} at the
 * plateau), {@code --skip-flat}, {@code --skip-plateau}.
 */
public final class MemoryBenchmark {

    static final int MIB = 1024 * 1024;
    private static final int BODY_BYTES = 8 * MIB;
    private static final int FIRST_BYTES = 16 * 1024;
    private static final int TRICKLE_BYTES = 1024;
    private static final long TRICKLE_PERIOD_MILLIS = 2000;
    private static final int WARM_UP_UPLOADS = 8;
    private static final Pattern UPLOAD_ID = Pattern.compile("\"uploadId\"\\s*:\\s*\"([^\"]+)\"");

    /** The two upload protocols, each with its own request for a body. */
    enum Protocol {
        TORRIN("Torrin protocol, chunk PUT"),
        TUS("tus, PATCH");

        final String label;

        Protocol(String label) {
            this.label = label;
        }
    }

    /**
     * One plateau's figures: the stats, RSS and class histogram when idle and with the uploads in flight, and how
     * many requests the server was handling when measured.
     */
    record Plateau(
            Protocol protocol,
            int uploads,
            int inFlight,
            Map<String, Long> before,
            long rssBefore,
            Map<String, long[]> histogramBefore,
            Map<String, Long> after,
            long rssAfter,
            List<String> histogram,
            Map<String, long[]> histogramAfter,
            List<String> nativeDiff) {

        double perUpload(long before, long after) {
            return (after - before) / 1024.0 / Math.max(1, inFlight);
        }

        double heapPerUpload() {
            return perUpload(before.get("heapUsed"), after.get("heapUsed"));
        }
    }

    private MemoryBenchmark() {}

    /**
     * Runs it standalone: {@code java -cp benchmarks.jar io.torrin.benchmarks.memory.MemoryBenchmark [options]}.
     *
     * @param args the options
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        run(args);
    }

    /**
     * Runs the scenario and prints its tables.
     *
     * @param args the options
     * @throws Exception if it fails
     */
    public static void run(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        boolean quick = options.contains("--quick");
        boolean blocking = options.contains("--blocking");
        boolean nmt = options.contains("--nmt");
        int uploads = Integer.parseInt(option(args, "--uploads", "256"));
        String maxHeap = option(args, "--xmx", "256m");
        String flatHeap = option(args, "--flat-xmx", "64m");
        int maxThreads = Integer.parseInt(option(args, "--max-threads", "1024"));
        long smallMiB = quick ? 32 : 64;
        long largeMiB = quick ? 256 : 1024;
        String mode = blocking
                ? "blocking reads (servlets without async support)"
                : "async-supported servlets (non-blocking reader)";
        MemoryReport.printHeader(mode, maxThreads, uploads, maxHeap, smallMiB, largeMiB, flatHeap);
        ByteBuffer block = ByteBuffer.allocateDirect(MIB);
        byte[] random = new byte[MIB];
        new SplittableRandom(5).nextBytes(random);
        block.put(random).flip();

        Path root = Files.createTempDirectory("torrin-memory");
        try {
            if (!options.contains("--skip-plateau")) {
                List<Plateau> plateaus = new ArrayList<>();
                for (Protocol protocol : Protocol.values()) {
                    plateaus.add(plateau(
                            root.resolve(protocol.name().toLowerCase(Locale.ROOT)),
                            protocol,
                            uploads,
                            maxHeap,
                            blocking,
                            maxThreads,
                            nmt,
                            option(args, "--heap-dump", null),
                            block));
                }
                MemoryReport.printPlateaus(plateaus, mode);
            }
            if (!options.contains("--skip-flat")) {
                flatHeap(root.resolve("flat"), flatHeap, blocking, maxThreads, smallMiB, largeMiB, block);
            }
        } finally {
            deleteRecursively(root);
        }
    }

    private static Plateau plateau(
            Path directory,
            Protocol protocol,
            int uploads,
            String maxHeap,
            boolean blocking,
            int maxThreads,
            boolean nmt,
            String heapDump,
            ByteBuffer block)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n%s: starting the server%n", protocol.label);
        try (ServerProcess server = ServerProcess.start(directory, maxHeap, blocking, maxThreads, nmt)) {
            try (RawHttp control = new RawHttp(server.port())) {
                for (int i = 0; i < WARM_UP_UPLOADS; i++) {
                    warmUpUpload(server.port(), control, protocol, block);
                }
            }
            Thread.sleep(500);
            Map<String, long[]> histogramBefore = MemoryReport.histogramByClass(server.jcmd("GC.class_histogram"));
            Map<String, Long> before = server.stats(true, false);
            long rssBefore = server.rssBytes();
            if (nmt) {
                server.jcmd("VM.native_memory", "baseline");
            }
            List<String> targets = new ArrayList<>();
            try (RawHttp control = new RawHttp(server.port())) {
                for (int i = 0; i < uploads; i++) {
                    targets.add(create(control, protocol, BODY_BYTES));
                }
            }
            List<RawHttp> connections = new ArrayList<>();
            ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger failedWrites = new AtomicInteger();
            try {
                for (String target : targets) {
                    RawHttp connection = new RawHttp(server.port());
                    connections.add(connection);
                    connection.sendHead(
                            protocol == Protocol.TORRIN ? "PUT" : "PATCH",
                            bodyTarget(protocol, target, 0),
                            bodyHeaders(protocol) + "Content-Length: " + BODY_BYTES + "\r\n");
                    connection.send(slice(block, FIRST_BYTES));
                }
                trickler.scheduleAtFixedRate(
                        () -> {
                            for (RawHttp connection : connections) {
                                try {
                                    connection.send(slice(block, TRICKLE_BYTES));
                                } catch (IOException | RuntimeException e) {
                                    failedWrites.incrementAndGet();
                                }
                            }
                        },
                        TRICKLE_PERIOD_MILLIS,
                        TRICKLE_PERIOD_MILLIS,
                        TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                long deadline = start + TimeUnit.SECONDS.toNanos(60);
                long active = 0;
                while (System.nanoTime() < deadline
                        && (active = server.stats(false, false).get("active")) < uploads) {
                    Thread.sleep(100);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s: %d of %d requests in flight after %.1f s%n",
                        protocol.label,
                        active,
                        uploads,
                        (System.nanoTime() - start) / 1e9);
                Thread.sleep(1500);
                server.stats(true, false);
                Thread.sleep(500);
                Map<String, Long> after = server.stats(true, false);
                long rssAfter = server.rssBytes();
                List<String> histogramOutput = server.jcmd("GC.class_histogram");
                if (heapDump != null) {
                    Path dump = Path.of(heapDump + "-" + protocol.name().toLowerCase(Locale.ROOT) + ".hprof")
                            .toAbsolutePath();
                    server.jcmd("GC.heap_dump", dump.toString());
                    System.out.printf(Locale.ROOT, "%s: heap dump in %s%n", protocol.label, dump);
                }
                List<String> nativeDiff = nmt
                        ? MemoryReport.nativeDiff(server.jcmd("VM.native_memory", "summary.diff", "scale=KB"))
                        : List.of();
                long stillActive = server.stats(false, false).get("active");
                if (stillActive != after.get("active")) {
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %d requests in flight at the measurement, %d after it%n",
                            protocol.label,
                            after.get("active"),
                            stillActive);
                }
                if (failedWrites.get() > 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %d trickle writes failed (connections closed by the server)%n",
                            protocol.label,
                            failedWrites.get());
                }
                return new Plateau(
                        protocol,
                        uploads,
                        (int) (long) after.get("active"),
                        before,
                        rssBefore,
                        histogramBefore,
                        after,
                        rssAfter,
                        MemoryReport.histogram(histogramOutput),
                        MemoryReport.histogramByClass(histogramOutput),
                        nativeDiff);
            } finally {
                trickler.shutdownNow();
                trickler.awaitTermination(5, TimeUnit.SECONDS);
                connections.forEach(RawHttp::close);
            }
        }
    }

    private static void flatHeap(
            Path directory,
            String maxHeap,
            boolean blocking,
            int maxThreads,
            long smallMiB,
            long largeMiB,
            ByteBuffer block)
            throws Exception {
        System.out.printf(Locale.ROOT, "%nflat heap: starting the server with -Xmx%s%n", maxHeap);
        List<String> rows = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(directory, maxHeap, blocking, maxThreads, false);
                RawHttp client = new RawHttp(server.port())) {
            for (Protocol protocol : Protocol.values()) {
                upload(client, protocol, 8L * MIB, block);
                double[] peaks = new double[2];
                double[] oldPeaks = new double[2];
                long[] sizes = {smallMiB * MIB, largeMiB * MIB};
                for (int i = 0; i < sizes.length; i++) {
                    server.stats(true, true);
                    Map<String, Long> before = server.stats(false, false);
                    long start = System.nanoTime();
                    String result;
                    try {
                        upload(client, protocol, sizes[i], block);
                        result = "ok";
                    } catch (IOException e) {
                        result = "FAILED: " + e.getMessage();
                        client.disconnect();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Long> after = server.stats(false, false);
                    Map<String, Long> afterGc = server.stats(true, false);
                    peaks[i] = after.get("heapPeak") / (double) MIB;
                    oldPeaks[i] = after.get("heapPeakOld") / (double) MIB;
                    long allocated = after.getOrDefault("allocated", 0L) - before.getOrDefault("allocated", 0L);
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %s | %d MiB | %s | %.0f | %.1f | %.1f | %d | %.1f | %.1f |",
                            protocol.label,
                            sizes[i] / MIB,
                            result,
                            sizes[i] / (double) MIB / seconds,
                            peaks[i],
                            oldPeaks[i],
                            after.get("gcCount") - before.get("gcCount"),
                            allocated / 1024.0 / (sizes[i] / (double) MIB),
                            afterGc.get("heapUsed") / (double) MIB));
                    deleteFinishedFiles(directory.resolve("files"));
                }
                rows.add(String.format(
                        Locale.ROOT,
                        "| %s: %d MiB / %d MiB | | | | **%.2f** | **%.2f** | | | |",
                        protocol.label,
                        largeMiB,
                        smallMiB,
                        peaks[1] / peaks[0],
                        oldPeaks[1] / oldPeaks[0]));
            }
        }
        MemoryReport.printFlatHeap(maxHeap, rows);
    }

    /** Creates an upload; returns the request target its body goes to. */
    private static String create(RawHttp http, Protocol protocol, long size) throws IOException {
        if (protocol == Protocol.TORRIN) {
            byte[] json = ("{\"fileSize\":" + size + ",\"desiredChunkSize\":" + BODY_BYTES + "}")
                    .getBytes(StandardCharsets.UTF_8);
            RawHttp.Response response =
                    http.request("POST", MemoryServer.TORRIN_PATH, "Content-Type: application/json\r\n", json);
            expect(response, 201, "create");
            Matcher id = UPLOAD_ID.matcher(response.body());
            if (!id.find()) {
                throw new IOException("no uploadId in " + response.body());
            }
            return MemoryServer.TORRIN_PATH + "/" + id.group(1);
        }
        RawHttp.Response response = http.request(
                "POST", MemoryServer.TUS_PATH, "Tus-Resumable: 1.0.0\r\nUpload-Length: " + size + "\r\n", new byte[0]);
        expect(response, 201, "create");
        String location = response.header("Location");
        if (location == null) {
            throw new IOException("201 without Location");
        }
        return URI.create(location).getRawPath();
    }

    private static String bodyTarget(Protocol protocol, String upload, int chunk) {
        return protocol == Protocol.TORRIN ? upload + "/chunks/" + chunk : upload;
    }

    /** The header lines of a body request at offset 0, without {@code Content-Length}. */
    private static String bodyHeaders(Protocol protocol) {
        return protocol == Protocol.TORRIN
                ? "Content-Type: application/octet-stream\r\n"
                : "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n";
    }

    /** One complete 8 MiB body, sent in two parts like the slow uploads start, answered as the protocol says. */
    private static void warmUpUpload(int port, RawHttp control, Protocol protocol, ByteBuffer block) throws Exception {
        String upload = create(control, protocol, BODY_BYTES);
        try (RawHttp http = new RawHttp(port)) {
            http.sendHead(
                    protocol == Protocol.TORRIN ? "PUT" : "PATCH",
                    bodyTarget(protocol, upload, 0),
                    bodyHeaders(protocol) + "Content-Length: " + BODY_BYTES + "\r\n");
            http.send(slice(block, FIRST_BYTES));
            Thread.sleep(20);
            for (long left = BODY_BYTES - FIRST_BYTES; left > 0; ) {
                ByteBuffer part = slice(block, (int) Math.min(MIB, left));
                left -= part.remaining();
                http.send(part);
            }
            expect(http.readResponse(false), protocol == Protocol.TORRIN ? 200 : 204, "warm-up body");
        }
    }

    /** One whole upload of {@code size} bytes: 8 MiB chunks and complete, or one PATCH. */
    private static void upload(RawHttp http, Protocol protocol, long size, ByteBuffer block) throws IOException {
        String upload = create(http, protocol, size);
        if (protocol == Protocol.TORRIN) {
            int chunks = (int) ((size + BODY_BYTES - 1) / BODY_BYTES);
            for (int i = 0; i < chunks; i++) {
                long length = Math.min(BODY_BYTES, size - (long) i * BODY_BYTES);
                expect(
                        http.streamingRequest(
                                "PUT", bodyTarget(protocol, upload, i), bodyHeaders(protocol), block, length),
                        200,
                        "chunk " + i);
            }
            expect(
                    http.request(
                            "POST",
                            upload + "/complete",
                            "Content-Type: application/json\r\n",
                            "{}".getBytes(StandardCharsets.UTF_8)),
                    200,
                    "complete");
        } else {
            RawHttp.Response response = http.streamingRequest("PATCH", upload, bodyHeaders(protocol), block, size);
            expect(response, 204, "PATCH");
            if (!Long.toString(size).equals(response.header("Upload-Offset"))) {
                throw new IOException("PATCH ended at offset " + response.header("Upload-Offset") + ", not " + size);
            }
        }
    }

    private static void expect(RawHttp.Response response, int status, String what) throws IOException {
        if (response.status() != status) {
            throw new IOException(
                    what + " answered " + response.status() + " (expected " + status + "): " + response.body());
        }
    }

    private static ByteBuffer slice(ByteBuffer block, int length) {
        ByteBuffer slice = block.duplicate();
        slice.limit(slice.position() + length);
        return slice;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** Deletes the finished files of the flat-heap uploads (not the driver's staging directory). */
    private static void deleteFinishedFiles(Path base) throws IOException {
        try (Stream<Path> files = Files.list(base)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
