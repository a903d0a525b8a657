/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Adobe S3Mock (the {@code com.adobe.testing:s3mock:<version>:jar:exec} artifact) as a child JVM on free
 * loopback ports, with one bucket: an S3-compatible server for tests and benchmarks without Docker. Close it to
 * stop the process.
 */
public final class S3MockProcess implements AutoCloseable {

    private final ChildJvm process;
    private final int port;

    private S3MockProcess(ChildJvm process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts S3Mock and waits (at most 90 seconds) until it answers.
     *
     * @param jar the S3Mock exec jar
     * @param bucket a bucket to create at start
     * @return the running server
     * @throws IOException if it cannot start
     * @throws IllegalStateException with its log if it does not come up
     */
    public static S3MockProcess start(Path jar, String bucket) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("S3Mock jar not found at " + jar + "; build through Maven first");
        }
        Path root = Files.createTempDirectory("s3mock");
        int port = freePort();
        ChildJvm process = ChildJvm.startJar(
                jar,
                List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"),
                List.of(
                        "--http.port=" + port,
                        "--server.port=" + freePort(),
                        "--com.adobe.testing.s3mock.store.root=" + root,
                        "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                        "--spring.main.banner-mode=off"),
                root.resolveSibling(root.getFileName() + ".log"));
        S3MockProcess server = new S3MockProcess(process, port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                http.send(
                        HttpRequest.newBuilder(server.endpoint())
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    String log = process.log();
                    try {
                        process.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("S3Mock did not start; its log:\n" + log);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /**
     * Returns the HTTP endpoint, for {@code S3Client.builder().endpointOverride(...)} with path-style access.
     *
     * @return the endpoint URL
     */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
