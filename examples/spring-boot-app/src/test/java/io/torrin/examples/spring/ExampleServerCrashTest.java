/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server as a separate process with a 64 MiB heap: it takes 100 MiB chunks (proof that bodies stream
 * to disk), is killed with {@code SIGKILL} in the middle of a chunk, restarts on the same data directory, and the
 * upload resumes from {@code GET status} and completes with a matching SHA-256.
 */
class ExampleServerCrashTest {

    private static final long MIB = 1024 * 1024;
    private static final long FILE_SIZE = 250 * MIB;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private ChildJvm startServer(int port, String name) throws Exception {
        ChildJvm server = ChildJvm.start(
                ExampleApplication.class,
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
                List.of(
                        "--server.port=" + port,
                        "--server.address=127.0.0.1",
                        "--torrin.storage.local.directory=" + data.resolve("files"),
                        "--torrin.store.file.directory=" + data.resolve("sessions"),
                        "--torrin.chunk.max-size=100MB",
                        "--logging.level.root=WARN",
                        "--logging.level.org.springframework.boot.web.embedded.tomcat=INFO"),
                data.resolve(name + ".log"));
        server.awaitLine(line -> line.contains("Tomcat started on port"), Duration.ofSeconds(120));
        return server;
    }

    private HttpResponse<String> put(URI mount, String id, int index, InputStream body, long length) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(mount + "/" + id + "/chunks/" + index))
                        .timeout(Duration.ofMinutes(5))
                        .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body), length))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void serverWhenKilledMidChunkThenUploadResumesAfterRestartAndMatches() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        String id;
        long chunkSize;
        int firstPort = freePort();
        URI firstMount = URI.create("http://127.0.0.1:" + firstPort + "/torrin/uploads");
        try (ChildJvm server = startServer(firstPort, "first")) {
            URI mount = firstMount;
            HttpResponse<String> created = client.send(
                    HttpRequest.newBuilder(mount)
                            .header("Content-Type", "application/json")
                            .POST(BodyPublishers.ofString("{\"fileName\":\"big.bin\",\"fileSize\":" + FILE_SIZE
                                    + ",\"desiredChunkSize\":" + 100 * MIB + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode session = JSON.readTree(created.body());
            String createdId = session.get("uploadId").asText();
            long negotiated = session.get("chunkSize").asLong();
            id = createdId;
            chunkSize = negotiated;
            assertThat(negotiated).isEqualTo(100 * MIB);

            HttpResponse<String> first =
                    put(mount, createdId, 0, TestFiles.seededStream(seed, 0, negotiated), negotiated);
            assertThat(first.statusCode())
                    .as("a 100 MiB chunk into a 64 MiB heap: %s\n%s", first.body(), server.log())
                    .isEqualTo(200);

            CountDownLatch halfway = new CountDownLatch(1);
            InputStream second = new InputStream() {
                private final InputStream data = TestFiles.seededStream(seed, negotiated, negotiated);
                private long sent;

                @Override
                public int read() throws IOException {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (sent >= negotiated / 2) {
                        halfway.countDown();
                    }
                    int n = data.read(buffer, offset, length);
                    sent += Math.max(n, 0);
                    return n;
                }
            };
            CompletableFuture<HttpResponse<String>> interrupted = CompletableFuture.supplyAsync(() -> {
                try {
                    return put(mount, createdId, 1, second, negotiated);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(halfway.await(120, TimeUnit.SECONDS)).isTrue();
            server.kill();
            assertThatThrownBy(() -> interrupted.get(60, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
        }

        int port = freePort();
        URI mount = URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
        try (ChildJvm server = startServer(port, "second")) {
            JsonNode status = JSON.readTree(client.send(
                            HttpRequest.newBuilder(URI.create(mount + "/" + id + "/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(status.get("receivedChunks").toString()).isEqualTo("[0]");
            assertThat(status.get("missingChunks").toString()).isEqualTo("[1,2]");
            for (int index : new int[] {1, 2}) {
                long offset = index * chunkSize;
                long length = Math.min(chunkSize, FILE_SIZE - offset);
                HttpResponse<String> resumed =
                        put(mount, id, index, TestFiles.seededStream(seed, offset, length), length);
                assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            }
            String expected = TestFiles.seededSha256(seed, FILE_SIZE);
            HttpResponse<String> completed = client.send(
                    HttpRequest.newBuilder(URI.create(mount + "/" + id + "/complete"))
                            .header("Content-Type", "application/json")
                            .POST(BodyPublishers.ofString("{\"hash\":\"" + expected + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
            String path =
                    JSON.readTree(completed.body()).get("location").get("path").asText();
            assertThat(TestFiles.sha256(
                            Files.newInputStream(data.resolve("files").resolve(path))))
                    .isEqualTo(expected);
        }
    }
}
