/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link MemoryServer} in a child JVM started with this JVM's class path: its port, its stats, its resident set
 * size from {@code /proc/<pid>/status}, and {@code jcmd} against it. Closing it kills the child by its handle.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a child server and waits until it serves.
     *
     * @param directory the server's data directory
     * @param maxHeap the child's {@code -Xmx} value, for example {@code 256m}
     * @param blocking whether the servlets are registered without async support
     * @param maxThreads the size of the child's Jetty thread pool
     * @param nativeMemoryTracking whether to start it with {@code -XX:NativeMemoryTracking=summary}
     * @return the running child
     * @throws IOException if it does not start within 60 seconds (it is killed then)
     */
    static ServerProcess start(
            Path directory, String maxHeap, boolean blocking, int maxThreads, boolean nativeMemoryTracking)
            throws IOException {
        Files.createDirectories(directory);
        Path log = directory.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        if (nativeMemoryTracking) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MemoryServer.class.getName());
        command.add("--dir");
        command.add(directory.toString());
        command.add("--max-threads");
        command.add(Integer.toString(maxThreads));
        if (blocking) {
            command.add("--blocking");
        }
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            if (line.startsWith(MemoryServer.READY)) {
                                ready.complete(Integer.parseInt(line.substring(MemoryServer.READY.length())
                                        .trim()));
                            }
                        }
                        ready.completeExceptionally(new IOException("the server ended before it was ready"));
                    } catch (IOException | RuntimeException e) {
                        ready.completeExceptionally(e);
                    }
                },
                "memory-server-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, ready.get(60, TimeUnit.SECONDS), log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            throw new IOException("interrupted while the server started", e);
        } catch (ExecutionException | TimeoutException e) {
            kill(process);
            throw new IOException("the server did not start; its log: " + tail(log), e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Asks the server for its stats.
     *
     * @param gc whether it runs {@code System.gc()} first
     * @param resetPeak whether it resets the heap pools' peak usage after answering
     * @return the stats by name
     * @throws IOException if the request fails
     */
    Map<String, Long> stats(boolean gc, boolean resetPeak) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            RawHttp.Response response = http.request(
                    "GET",
                    MemoryServer.STATS_PATH + "?gc=" + (gc ? 1 : 0) + "&reset=" + (resetPeak ? 1 : 0),
                    "",
                    new byte[0]);
            if (response.status() != 200) {
                throw new IOException("stats answered " + response.status());
            }
            Map<String, Long> stats = new HashMap<>();
            for (String line : response.body().split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    stats.put(
                            line.substring(0, equals),
                            Long.parseLong(line.substring(equals + 1).trim()));
                }
            }
            return stats;
        }
    }

    /**
     * Reads the child's resident set size.
     *
     * @return {@code VmRSS} in bytes, or -1 where {@code /proc} is unavailable
     */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Runs {@code jcmd <child pid> <command...>} and returns its output.
     *
     * @param command the diagnostic command and its arguments
     * @return the output lines, or one line with the failure
     */
    List<String> jcmd(String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new ArrayList<>();
        line.add(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd");
        line.add(Long.toString(process.pid()));
        line.addAll(List.of(command));
        try {
            Process run = new ProcessBuilder(line).redirectErrorStream(true).start();
            CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                    return out.lines().toList();
                } catch (IOException e) {
                    return List.of("jcmd output failed: " + e);
                }
            });
            if (!run.waitFor(60, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                return List.of("jcmd timed out");
            }
            return output.get(10, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            return List.of("jcmd failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("jcmd interrupted");
        }
    }

    /** Kills the child (by its handle) and waits for it to end. */
    @Override
    public void close() {
        kill(process);
    }

    private static void kill(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the last lines of the child's standard error.
     *
     * @return up to 20 lines
     */
    String logTail() {
        return tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
