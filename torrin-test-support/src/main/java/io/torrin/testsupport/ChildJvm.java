/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Java process started from the test's own classpath, for crash tests: its standard output is readable line by
 * line, its standard error goes to a log file, and {@link #kill()} ends it with {@code SIGKILL}. Close it in a
 * {@code finally} or try-with-resources so a failing test leaves nothing running.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String END = "\u0000EOF";

    private final Process process;
    private final Path log;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process was killed
                    }
                    lines.add(END);
                },
                "child-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with the current classpath.
     *
     * @param mainClass the class with {@code main}
     * @param jvmOptions options such as {@code -Xmx64m}
     * @param arguments the program arguments
     * @param log where standard error goes
     * @return the running process
     * @throws IOException if it cannot start
     */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, List<String> arguments, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ChildJvm(process, log);
    }

    /**
     * Starts an executable jar in a new JVM.
     *
     * @param jar the jar
     * @param jvmOptions options such as {@code -Xmx64m}
     * @param arguments the program arguments
     * @param log where standard error goes
     * @return the running process
     * @throws IOException if it cannot start
     */
    public static ChildJvm startJar(Path jar, List<String> jvmOptions, List<String> arguments, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildJvm(process, log);
    }

    /**
     * Tells whether the process is still running.
     *
     * @return whether it is alive
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for an output line that matches, consuming the lines before it.
     *
     * @param condition what the line must satisfy
     * @param timeout the longest wait
     * @return the matching line
     * @throws AssertionError if the process ended or the time ran out first (with the log attached)
     * @throws InterruptedException if interrupted
     */
    public String awaitLine(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                throw new AssertionError((line == null ? "timed out" : "the process ended")
                        + " waiting for its output; its log:\n" + log());
            }
            if (condition.test(line)) {
                return line;
            }
        }
    }

    /**
     * Kills the process with {@code SIGKILL} and waits for it to end.
     *
     * @throws InterruptedException if interrupted
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Returns what the process wrote to standard error so far.
     *
     * @return the log text
     */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
