/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.memory;

import com.sun.management.ThreadMXBean;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.HttpHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server side of the memory scenario, run in a child JVM by {@link MemoryBenchmark} so that only the server is
 * measured: embedded Jetty 12 on a free loopback port with the Torrin protocol
 * ({@link TorrinProtocolHandler} in a {@link TorrinServlet} at {@value #TORRIN_PATH}) and tus
 * ({@link TusProtocolHandler} at {@value #TUS_PATH}), both registered async-supported as the Spring starter
 * registers them (request bodies then go through the servlet adapter's non-blocking reader), or without async support
 * with {@code --blocking}. One {@link UploadService} behind both: {@link LocalStorageDriver} with
 * {@link Durability#NONE} and {@link FileUploadStore} with {@code fsync(false)}, so the disk does not pace the run.
 *
 * <p>A stats servlet at {@value #STATS_PATH} answers {@code key=value} lines: heap used and committed
 * ({@code MemoryMXBean}), the sum of the heap pools' peak usage and the old generation's, the number of
 * collections, the bytes allocated by live threads, live threads, direct and mapped buffer pools, and how many
 * protocol requests are being handled right now ({@code active}). Query parameters: {@code gc=1} runs
 * {@code System.gc()} three times first, {@code reset=1} resets the pools' peak usage afterwards.
 *
 * <p>Arguments: {@code --dir <directory> [--blocking] [--max-threads 1024]}. Prints
 * {@value #READY}{@code  <port>} on standard output once serving, and exits when its standard input ends (the
 * harness went away).
 */
public final class MemoryServer {

    /** The line prefix that tells the harness the server is up. */
    public static final String READY = "MEMORY-SERVER-READY";
    /** Where the Torrin protocol is mounted. */
    public static final String TORRIN_PATH = "/torrin/uploads";
    /** Where tus is mounted. */
    public static final String TUS_PATH = "/torrin/tus";
    /** Where the stats servlet is mounted. */
    public static final String STATS_PATH = "/stats";

    private MemoryServer() {}

    /**
     * Starts the server and serves until standard input ends.
     *
     * @param args the arguments
     * @throws Exception if the server does not start
     */
    public static void main(String[] args) throws Exception {
        for (String logger : new String[] {"org.eclipse.jetty", "io.torrin"}) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + logger) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + logger, "warn");
            }
        }
        Path directory = Path.of(option(args, "--dir", null));
        boolean async = !Arrays.asList(args).contains("--blocking");
        int maxThreads = Integer.parseInt(option(args, "--max-threads", "1024"));

        LocalStorageDriver storage = LocalStorageDriver.builder(directory.resolve("files"))
                .durability(Durability.NONE)
                .build();
        FileUploadStore store = FileUploadStore.builder(directory.resolve("sessions"))
                .fsync(false)
                .build();
        UploadService service = UploadService.builder()
                .storage(storage)
                .store(store)
                .defaultChunkSize(8L * 1024 * 1024)
                .build();
        AtomicInteger active = new AtomicInteger();

        QueuedThreadPool threads = new QueuedThreadPool(maxThreads);
        threads.setName("memory-server");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder torrin = new ServletHolder(
                "torrin",
                new TorrinServlet(counted(TorrinProtocolHandler.builder(service).build(), active)));
        torrin.setAsyncSupported(async);
        context.addServlet(torrin, TORRIN_PATH + "/*");
        ServletHolder tus = new ServletHolder(
                "tus",
                new TorrinServlet(counted(TusProtocolHandler.builder(service).build(), active)));
        tus.setAsyncSupported(async);
        context.addServlet(tus, TUS_PATH + "/*");
        context.addServlet(new ServletHolder("stats", new StatsServlet(active)), STATS_PATH);
        server.setHandler(context);
        server.start();
        System.out.println(READY + " " + connector.getLocalPort());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // wait for the harness to go away
            }
        } finally {
            Runtime.getRuntime().halt(0);
        }
    }

    /** Counts the protocol requests being handled: the harness waits until all of its uploads are in. */
    private static HttpHandler counted(HttpHandler handler, AtomicInteger active) {
        return request -> {
            active.incrementAndGet();
            try {
                return handler.handle(request);
            } finally {
                active.decrementAndGet();
            }
        };
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return fallback;
    }

    /** Reports the JVM's memory and thread figures; see the class comment. */
    private static final class StatsServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        private final transient AtomicInteger active;

        StatsServlet(AtomicInteger active) {
            this.active = active;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("1".equals(request.getParameter("gc"))) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
            }
            StringBuilder out = new StringBuilder();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            line(out, "heapUsed", heap.getUsed());
            line(out, "heapCommitted", heap.getCommitted());
            line(
                    out,
                    "nonHeapUsed",
                    ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed());
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            line(out, "heapPeak", peak);
            long oldPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP
                        && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                    oldPeak += pool.getPeakUsage().getUsed();
                }
            }
            line(out, "heapPeakOld", oldPeak);
            long collections = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                collections += Math.max(0, collector.getCollectionCount());
            }
            line(out, "gcCount", collections);
            if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads) {
                long allocated = 0;
                for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                    allocated += Math.max(0, bytes);
                }
                line(out, "allocated", allocated);
            }
            line(out, "threads", ManagementFactory.getThreadMXBean().getThreadCount());
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                String name = pool.getName().replaceAll("[^A-Za-z]", "");
                line(out, name + "Used", pool.getMemoryUsed());
                line(out, name + "Count", pool.getCount());
            }
            line(out, "active", active.get());
            line(out, "pid", ProcessHandle.current().pid());
            if ("1".equals(request.getParameter("reset"))) {
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        pool.resetPeakUsage();
                    }
                }
            }
            byte[] body = out.toString().getBytes(StandardCharsets.US_ASCII);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }

        private static void line(StringBuilder out, String key, long value) {
            out.append(key).append('=').append(value).append('\n');
        }
    }
}
