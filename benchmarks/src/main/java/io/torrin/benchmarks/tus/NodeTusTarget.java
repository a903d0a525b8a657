/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @tus/server} 2.4.5 with {@code @tus/file-store} 2.1.1 on Node (20.19 or later) as a child process running
 * {@code benchmarks/node/tus-peer.mjs}, on {@code 127.0.0.1} and a free port, at {@code /files}, default options.
 * {@code npm ci} installs the pinned packages first when {@code node_modules} is missing. The process is stopped by
 * its own handle in {@link #close()}.
 *
 * <p>{@code @tus/file-store} appends each PATCH through a Node write stream and never calls fsync; an upload's bytes
 * are the plain file {@code <storage>/<id>}, its metadata {@code <storage>/<id>.json} (written at creation only).
 */
public final class NodeTusTarget implements TusTarget {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)(.*)");
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final URI creationUrl;
    private final Path storage;
    private final String versions;

    private NodeTusTarget(Process process, URI creationUrl, Path storage, String versions) {
        this.process = process;
        this.creationUrl = creationUrl;
        this.storage = storage;
        this.versions = versions;
    }

    /**
     * Installs the packages if needed and starts the server.
     *
     * @param nodeDirectory the directory holding {@code package.json}, {@code package-lock.json} and
     *     {@code tus-peer.mjs}
     * @param storage the storage directory (created if missing)
     * @return the running server
     * @throws IOException if npm or node cannot be run, or the server does not report its port in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static NodeTusTarget start(Path nodeDirectory, Path storage) throws IOException, InterruptedException {
        Path directory = nodeDirectory.toAbsolutePath();
        if (!Files.isRegularFile(directory.resolve("tus-peer.mjs"))) {
            throw new IOException(
                    "no tus-peer.mjs in " + directory + " (run from the repository root or pass --node-dir)");
        }
        if (!Files.isDirectory(directory.resolve("node_modules"))) {
            npmCi(directory);
        }
        Files.createDirectories(storage);
        Process process = new ProcessBuilder(
                        "node", "tus-peer.mjs", "0", storage.toAbsolutePath().toString())
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            Matcher listening = awaitListening(process);
            URI creation = URI.create("http://127.0.0.1:" + listening.group(1) + "/files");
            return new NodeTusTarget(
                    process, creation, storage, listening.group(2).trim());
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    private static void npmCi(Path directory) throws IOException, InterruptedException {
        System.out.println("installing the Node peer: npm ci in " + directory);
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(directory.toFile())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                throw new IOException("npm ci did not finish in 5 minutes in " + directory);
            }
            if (npm.exitValue() != 0) {
                throw new IOException("npm ci failed with exit code " + npm.exitValue() + " in " + directory);
            }
        } finally {
            stop(npm);
        }
    }

    /** Waits for the "listening on PORT" line, then keeps draining (and echoing) the server's standard output. */
    private static Matcher awaitListening(Process process) throws IOException, InterruptedException {
        CompletableFuture<Matcher> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            Matcher matcher = LISTENING.matcher(line);
                            if (!port.isDone() && matcher.find()) {
                                port.complete(matcher);
                            } else {
                                System.out.println("[node] " + line);
                            }
                        }
                        port.completeExceptionally(new IOException(
                                "the Node peer exited with code " + process.waitFor() + " before listening"));
                    } catch (IOException | InterruptedException e) {
                        port.completeExceptionally(e);
                    }
                },
                "node-tus-peer-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the Node peer did not report its port in " + START_TIMEOUT_SECONDS + " s");
        }
    }

    @Override
    public String name() {
        return "@tus/server 2.4.5";
    }

    /**
     * Returns what the server printed about its versions.
     *
     * @return e.g. {@code (node v20.20.2, @tus/server 2.4.5, @tus/file-store 2.1.1)}
     */
    public String versions() {
        return versions;
    }

    @Override
    public URI creationUrl() {
        return creationUrl;
    }

    @Override
    public PatchDurability durability() {
        return PatchDurability.NO_FSYNC_PER_PATCH;
    }

    @Override
    public String durabilityNote() {
        return "no fsync per PATCH: @tus/file-store 2.1.1 appends through a Node write stream and never fsyncs;"
                + " its `<id>.json` is written at creation only (the offset is the data file's size)";
    }

    @Override
    public Optional<Path> storedFile(URI uploadUrl) {
        String path = uploadUrl.getPath();
        return Optional.of(storage.resolve(path.substring(path.lastIndexOf('/') + 1)));
    }

    @Override
    public void close() {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
