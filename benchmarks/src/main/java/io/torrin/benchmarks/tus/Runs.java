/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What the end-to-end harnesses ({@code tus}, {@code e2e}) share: one measured run with its retry when other
 * processes disturbed it, the results of a table cell, and the formatting of numbers and sizes. Not thread-safe;
 * harnesses measure one run at a time.
 */
public final class Runs {

    /** The measurements of one table cell: values of the undisturbed runs, or the failure. */
    public static final class Result {
        /** Values of the measured runs, in order. */
        public final List<Double> values = new ArrayList<>();
        /** Other processes' CPU share during each measured run (negative if unknown). */
        public final List<Double> foreignCpu = new ArrayList<>();
        /** Why the cell failed, or null. */
        public String failure;

        /**
         * Formats the cell: median, and min–max when there are several runs.
         *
         * @param unit the row's unit
         * @return the cell text
         */
        public String cell(String unit) {
            if (failure != null) {
                return "failed: " + failure.replace('|', '/');
            }
            if (values.isEmpty()) {
                return "–";
            }
            double median = median(values);
            if (values.size() == 1) {
                return format(median, unit);
            }
            double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            return format(median, unit) + " (" + format(min, unit) + "–" + format(max, unit) + ")";
        }
    }

    /** One timed run. */
    @FunctionalInterface
    public interface Run {
        /**
         * Runs once.
         *
         * @param verify whether to verify what was stored this time
         * @return the measured value
         * @throws Exception if the run fails
         */
        double run(boolean verify) throws Exception;
    }

    /** Measures one target once into its cell (see {@link #alternating}). */
    @FunctionalInterface
    public interface Cell<T> {
        /**
         * Measures once.
         *
         * @param target the target
         * @param result its cell
         * @param verify whether to verify what was stored this time
         * @param measured {@code false} for a warm-up
         * @param what which run this is, for example {@code run 2/3} or {@code warm-up}
         */
        void measure(T target, Result result, boolean verify, boolean measured, String what);
    }

    /**
     * One connection's work in a request-rate measurement ({@link #rate}).
     *
     * @param <C> the connection type
     * @param <U> what the connection works on, for example an upload
     */
    public interface RateWork<C extends AutoCloseable, U> {
        /**
         * Opens a connection (closed by {@link #rate}).
         *
         * @return the connection
         * @throws Exception if it cannot be opened
         */
        C connect() throws Exception;

        /**
         * Prepares before the window opens, for example creates the upload to send to.
         *
         * @param connection the connection
         * @return what the requests work on
         * @throws Exception if preparing fails
         */
        U prepare(C connection) throws Exception;

        /**
         * Tells whether another request may be sent.
         *
         * @param upload what the requests work on
         * @param done the requests sent so far
         * @return whether to go on
         */
        boolean more(U upload, long done);

        /**
         * Sends one request and checks its answer.
         *
         * @param connection the connection
         * @param upload what the requests work on
         * @param done the requests sent so far
         * @throws Exception if the request fails
         */
        void request(C connection, U upload, long done) throws Exception;

        /**
         * After the window: checks what the requests did and cleans up.
         *
         * @param connection the connection
         * @param upload what the requests work on
         * @param done the requests sent
         * @throws Exception if the check fails
         */
        void finish(C connection, U upload, long done) throws Exception;
    }

    private Runs() {}

    /**
     * Measures a request rate: {@code threads} connections are prepared, then all send requests for the window,
     * starting together; each then checks its work outside the timing.
     *
     * @param threads the connections, one thread each
     * @param windowSeconds how long requests are sent
     * @param timeoutSeconds how long preparing, or finishing after the window, may take before the measurement
     *     fails (a hung server)
     * @param work the work of one connection
     * @param <C> the connection type
     * @param <U> what a connection works on
     * @return requests per second over all connections
     * @throws Exception if a connection fails or times out
     */
    public static <C extends AutoCloseable, U> double rate(
            int threads, double windowSeconds, long timeoutSeconds, RateWork<C, U> work) throws Exception {
        long windowNanos = (long) (windowSeconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try (C connection = work.connect()) {
                        U upload;
                        try {
                            upload = work.prepare(connection);
                        } finally {
                            ready.countDown();
                        }
                        go.await();
                        long deadline = start[0] + windowNanos;
                        long done = 0;
                        while (System.nanoTime() < deadline && work.more(upload, done)) {
                            work.request(connection, upload, done);
                            done++;
                        }
                        long finished = System.nanoTime();
                        work.finish(connection, upload, done);
                        return new long[] {done, finished};
                    }
                }));
            }
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new TimeoutException("the connections were not ready in " + timeoutSeconds + " s");
            }
            start[0] = System.nanoTime();
            go.countDown();
            long requests = 0;
            long end = start[0];
            long deadline = start[0] + windowNanos + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (Future<long[]> future : futures) {
                try {
                    long[] outcome;
                    try {
                        outcome = future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        throw new TimeoutException(
                                "a connection did not finish within " + timeoutSeconds + " s after the window");
                    }
                    requests += outcome[0];
                    end = Math.max(end, outcome[1]);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return requests / ((end - start[0]) / 1e9);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Measures one table row on every target: {@code warmup} rounds (the first one verifying), then {@code runs}
     * measured rounds, rotating which target goes first in each round so no target always runs on a cold or hot
     * machine. Verifies the first measured round when there is no warm-up.
     *
     * @param targets the targets, in table order
     * @param warmup the warm-up rounds
     * @param runs the measured rounds
     * @param cell measures one target once
     * @param <T> the target type
     * @return each target's cell, in table order
     */
    public static <T> Map<T, Result> alternating(List<T> targets, int warmup, int runs, Cell<T> cell) {
        Map<T, Result> results = new LinkedHashMap<>();
        for (T target : targets) {
            results.put(target, new Result());
        }
        for (int w = 0; w < warmup; w++) {
            for (T target : targets) {
                cell.measure(target, results.get(target), w == 0, false, "warm-up");
            }
        }
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < targets.size(); i++) {
                T target = targets.get((i + run) % targets.size());
                cell.measure(
                        target, results.get(target), warmup == 0 && run == 0, true, "run " + (run + 1) + "/" + runs);
            }
        }
        return results;
    }

    /**
     * Measures one run into a cell: settles the machine, waits (bounded) for other processes to go quiet, runs, and
     * repeats a measured run that other processes disturbed, up to {@code retries} times. Prints one line per run;
     * a failure is recorded in the cell and ends its measurements.
     *
     * @param result the cell
     * @param label what is measured, printed first
     * @param what which run this is, for example {@code run 2/3} or {@code warm-up}
     * @param unit the unit
     * @param measured {@code false} for a warm-up (not recorded, never repeated)
     * @param verify whether to verify the first attempt
     * @param maxOtherCpu the share of the machine other processes may use
     * @param quietWait how long to wait for quiet before measuring anyway
     * @param retries how often to repeat a disturbed run
     * @param run the run
     */
    public static void once(
            Result result,
            String label,
            String what,
            String unit,
            boolean measured,
            boolean verify,
            double maxOtherCpu,
            Duration quietWait,
            int retries,
            Run run) {
        if (result.failure != null) {
            return;
        }
        try {
            for (int attempt = 0; ; attempt++) {
                settle();
                if (measured && !quietWait.isZero() && !ForeignCpu.awaitQuiet(maxOtherCpu, quietWait)) {
                    System.out.printf(
                            Locale.ROOT,
                            "(other processes kept more than %.0f%% of the CPUs busy for %d s;"
                                    + " measuring anyway)%n",
                            maxOtherCpu * 100,
                            quietWait.toSeconds());
                }
                ForeignCpu before = ForeignCpu.now();
                double value = run.run(verify && attempt == 0);
                double foreign = ForeignCpu.now().foreignShareSince(before);
                boolean repeat = measured && foreign > maxOtherCpu && attempt < retries;
                System.out.printf(
                        Locale.ROOT,
                        "%s | %s: %s %s%s%n",
                        label,
                        what,
                        format(value, unit),
                        unit,
                        foreign < 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        " (other processes: %.0f%% CPU%s)",
                                        foreign * 100,
                                        repeat ? ", disturbed: measuring again" : ""));
                if (!repeat) {
                    if (measured) {
                        result.values.add(value);
                        result.foreignCpu.add(foreign);
                    }
                    return;
                }
            }
        } catch (Exception e) {
            result.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            System.out.printf("%s | %s FAILED: %s%n", label, what, result.failure);
        }
    }

    /**
     * Outside the timings: collects garbage and flushes dirty pages so that every run starts from the same state.
     *
     * @throws IOException if {@code sync} cannot start
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static void settle() throws IOException, InterruptedException {
        System.gc();
        Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
        sync.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!sync.waitFor(120, TimeUnit.SECONDS)) {
            sync.destroy();
        }
    }

    /**
     * Returns the median.
     *
     * @param values at least one value
     * @return the median
     */
    public static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Formats a value for its unit: one decimal for MiB/s, none for rates.
     *
     * @param value the value
     * @param unit the unit
     * @return the text
     */
    public static String format(double value, String unit) {
        return String.format(Locale.ROOT, unit.equals("MiB/s") ? "%.1f" : "%.0f", value);
    }

    /**
     * Formats a byte count in the largest binary unit that divides it.
     *
     * @param bytes the count
     * @return for example {@code 256 MiB}
     */
    public static String size(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /**
     * Deletes a directory tree, reporting (not throwing) a failure.
     *
     * @param root the directory
     */
    public static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
