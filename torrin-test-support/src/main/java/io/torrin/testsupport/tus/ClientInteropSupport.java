/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.torrin.core.AppendStatus;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the interop kits of the upload protocols tus-js-client speaks share ({@link TusClientInteropKit} for tus,
 * {@link ResumableClientInteropKit} for the IETF draft): the server a subclass names, the sizes and time limits,
 * the Node runner prepared once per concrete class, source files in a JUnit temporary directory, and the SHA-256
 * comparison of stored and sent bytes. See {@link TusClientInteropKit} for the contract of a subclass.
 */
public abstract class ClientInteropSupport {

    /** The default {@link #chunkSize()}: 256 KiB. */
    protected static final int DEFAULT_CHUNK_SIZE = 256 * 1024;

    /** Bytes past a whole number of chunks in most test files, so that the last chunk is short. */
    protected static final int TAIL = 17;

    /** The media type the tests send as {@code filetype} metadata. */
    protected static final String FILE_TYPE = "application/x-torrin-interop";

    private static final Map<Class<?>, NodeClient> NODE_CLIENTS = new ConcurrentHashMap<>();

    /** A JDK client for the kits' own requests. */
    protected final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** Where each test writes its source files; deleted by JUnit. */
    @TempDir
    Path sources;

    // --------------------------------------------------------------------------------------------- contract

    /**
     * Returns the absolute URL of the tus creation endpoint, for example {@code http://127.0.0.1:PORT/files}.
     *
     * @return the URL
     */
    protected abstract URI creationUrl();

    /**
     * Reads the bytes the server stored for a completed upload.
     *
     * @param uploadUrl the upload's absolute URL, as the server gave it in {@code Location}
     * @return the stored bytes, or empty if the upload is not completed (unfinished or terminated before it
     *     completed)
     * @throws IOException if reading fails
     */
    protected abstract Optional<byte[]> storedBytes(URI uploadUrl) throws IOException;

    /**
     * Returns the server-side state of an upload, in any state but removed: its offset and its session, whose
     * {@code fileName}, {@code mimeType} and {@code metadata} come from the tus metadata.
     *
     * @param uploadUrl the upload's absolute URL, as the server gave it in {@code Location}
     * @return the status
     * @throws IOException if the state cannot be read
     */
    protected abstract AppendStatus status(URI uploadUrl) throws IOException;

    /**
     * Returns the bytes per PATCH request the clients send; the test files' sizes derive from it.
     *
     * @return a positive size; {@value #DEFAULT_CHUNK_SIZE} by default
     */
    protected int chunkSize() {
        return DEFAULT_CHUNK_SIZE;
    }

    /**
     * Returns the time limit of one client call (one tus-java-client upload or resume, one Node process).
     *
     * @return a positive duration; 60 seconds by default
     */
    protected Duration clientTimeout() {
        return Duration.ofSeconds(60);
    }

    /**
     * Returns the time limit of one test's body (all its client calls and checks).
     *
     * @return a positive duration; 3 minutes by default
     */
    protected Duration testTimeout() {
        return Duration.ofMinutes(3);
    }

    /**
     * Returns the work directory of the Node runner: where {@code upload.mjs} and {@code node_modules} go. Read
     * once per concrete test class.
     *
     * @return the directory; {@link NodeTusClientRunner#defaultWorkDir()} by default
     */
    protected Path nodeWorkDir() {
        return NodeTusClientRunner.defaultWorkDir();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * Returns new tus-js-client options with {@link #chunkSize()} and {@link #clientTimeout()}.
     *
     * @return the options
     */
    protected TusJsClientOptions nodeOptions() {
        return TusJsClientOptions.defaults().chunkSize(chunkSize()).timeout(clientTimeout());
    }

    /**
     * Skips the calling test unless Node is available, then returns this class's prepared Node runner.
     *
     * @return the runner, with tus-js-client installed
     * @throws IOException if preparing the work directory failed (now or for an earlier test of this class)
     */
    protected NodeTusClientRunner node() throws IOException {
        NodeTusClientRunner.assumeNodeAvailable();
        return NODE_CLIENTS
                .computeIfAbsent(getClass(), type -> new NodeClient(nodeWorkDir()))
                .prepared();
    }

    /**
     * Runs a test body within {@link #testTimeout()}.
     *
     * @param body the body
     * @param <T> its result type
     * @return its result
     */
    protected <T> T bounded(ThrowingSupplier<T> body) {
        return assertTimeoutPreemptively(
                testTimeout(), body, () -> getClass().getSimpleName() + ": the test took longer than " + testTimeout());
    }

    /**
     * Writes a source file into the test's temporary directory.
     *
     * @param name the file name
     * @param data the bytes
     * @return the file
     * @throws IOException if writing fails
     */
    protected Path write(String name, byte[] data) throws IOException {
        return Files.write(sources.resolve(name), data);
    }

    /**
     * Asserts that the server stored exactly these bytes for a completed upload (SHA-256).
     *
     * @param uploadUrl the upload's URL
     * @param source the bytes sent
     * @throws IOException if the storage cannot be read
     */
    protected void assertStored(URI uploadUrl, byte[] source) throws IOException {
        Optional<byte[]> stored = storedBytes(uploadUrl);
        assertThat(stored)
                .as("stored bytes of the completed upload %s", uploadUrl)
                .isPresent();
        assertThat(TestFiles.sha256(stored.get()))
                .as(
                        "SHA-256 of the stored bytes of %s (%d bytes stored, %d sent)",
                        uploadUrl, stored.get().length, source.length)
                .isEqualTo(TestFiles.sha256(source));
    }

    /**
     * A random token for unique file names.
     *
     * @return twelve hex digits
     */
    protected static String token() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** One Node runner per concrete test class, prepared once; a failed preparation is kept and rethrown. */
    private static final class NodeClient {

        private final NodeTusClientRunner runner;
        private IOException failure;
        private boolean ready;

        NodeClient(Path workDir) {
            this.runner = NodeTusClientRunner.create(workDir);
        }

        synchronized NodeTusClientRunner prepared() throws IOException {
            if (failure != null) {
                throw new IOException(
                        "preparing tus-js-client in " + runner.workDir() + " failed earlier in this " + "class",
                        failure);
            }
            if (!ready) {
                try {
                    runner.prepare();
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                ready = true;
            }
            return runner;
        }
    }
}
