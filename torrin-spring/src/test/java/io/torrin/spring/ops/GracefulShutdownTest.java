/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.torrin.core.StorageLocation;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.spring.app.TestApplication;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's lifecycle on a real Boot app (Tomcat, graceful shutdown on): with a stalled tus {@code PATCH} and
 * a slow Torrin chunk in flight, closing the application takes well under the grace period instead of the web
 * server's graceful-shutdown timeout; on a restarted app both uploads resume and their stored SHA-256 equals the
 * sent file's.
 */
class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 256 * 1024;
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shutdownWithAStalledPatchAndASlowChunkEndsWithinTheGracePeriodAndBothUploadsResume() throws Exception {
        byte[] tusFile = TestFiles.randomBytes(1024 * 1024);
        byte[] chunkedFile = TestFiles.randomBytes(2 * CHUNK);
        String tusId;
        String chunkedId;
        Socket stalled;
        Socket slow;
        AtomicBoolean slowWriting = new AtomicBoolean(true);
        CompletableFuture<Void> slowWriter;
        ConfigurableApplicationContext first = start();
        try {
            int port = port(first);
            // a tus upload whose PATCH sends 300,000 bytes and then stalls (a half-open connection)
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/torrin/tus"))
                            .header("Tus-Resumable", "1.0.0")
                            .header("Upload-Length", Integer.toString(tusFile.length))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            tusId = location.substring(location.lastIndexOf('/') + 1);
            stalled = new Socket("localhost", port);
            OutputStream patch = stalled.getOutputStream();
            patch.write(("PATCH /torrin/tus/" + tusId + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
                            + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                            + "Content-Length: " + tusFile.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            patch.write(tusFile, 0, 300_000);
            patch.flush();

            // a Torrin upload of two chunks: the first sent, the second trickling in at 1 KiB per 50 ms
            chunkedId = create(port, chunkedFile.length);
            assertThat(putChunk(port, chunkedId, 0, TestFiles.chunk(chunkedFile, CHUNK, 0)))
                    .isEqualTo(200);
            slow = new Socket("localhost", port);
            Socket slowSocket = slow;
            String slowHead = "PUT /torrin/uploads/" + chunkedId + "/chunks/1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + CHUNK + "\r\n\r\n";
            slowWriter = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = slowSocket.getOutputStream();
                    out.write(slowHead.getBytes(StandardCharsets.US_ASCII));
                    for (int sent = 0; sent < CHUNK && slowWriting.get(); sent += 1024) {
                        out.write(chunkedFile, CHUNK + sent, 1024);
                        out.flush();
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server ended the request
                }
            });

            // both requests are receiving bytes on the server
            MeterRegistry meters = first.getBean(MeterRegistry.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (meters.get("torrin.uploads.in.flight").gauge().value() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(meters.get("torrin.uploads.in.flight").gauge().value()).isEqualTo(2);
        } catch (Throwable e) {
            first.close();
            throw e;
        }

        long start = System.nanoTime();
        first.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        slowWriting.set(false);
        assertThat(took).as("time to close the application").isLessThan(GRACE);

        // the slow chunk got a retryable 503 (or its connection closed); the stalled PATCH's bytes were kept
        String slowAnswer = readAnswer(slow);
        assertThat(slowAnswer)
                .satisfiesAnyOf(
                        answer -> assertThat(answer).startsWith("HTTP/1.1 503"),
                        answer -> assertThat(answer).isEmpty());
        slowWriter.get(10, TimeUnit.SECONDS);
        stalled.close();
        slow.close();

        try (ConfigurableApplicationContext second = start()) {
            int port = port(second);
            UploadService service = second.getBean(UploadService.class);
            // tus: the offset the stalled PATCH reached survived; the rest is sent and the file completes
            HttpResponse<Void> head = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/torrin/tus/" + tusId))
                            .header("Tus-Resumable", "1.0.0")
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            long offset =
                    Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
            assertThat(offset).isPositive().isLessThanOrEqualTo(300_000);
            HttpResponse<String> rest = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/torrin/tus/" + tusId))
                            .header("Tus-Resumable", "1.0.0")
                            .header("Content-Type", "application/offset+octet-stream")
                            .header("Upload-Offset", Long.toString(offset))
                            .method(
                                    "PATCH",
                                    HttpRequest.BodyPublishers.ofByteArray(
                                            tusFile, (int) offset, tusFile.length - (int) offset))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
            StorageLocation tusStored = service.appends()
                    .getStatus(tusId, RequestContext.none())
                    .location()
                    .orElseThrow();
            assertThat(sha256(tusStored)).isEqualTo(TestFiles.sha256(tusFile));

            // Torrin: the interrupted chunk was not recorded; it is sent again and the file completes
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/torrin/uploads/" + chunkedId + "/status"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode statusJson = JSON.readTree(status.body());
            assertThat(statusJson.get("missingChunks").toString()).isEqualTo("[1]");
            assertThat(putChunk(port, chunkedId, 1, TestFiles.chunk(chunkedFile, CHUNK, 1)))
                    .isEqualTo(200);
            HttpResponse<String> completed = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://localhost:" + port + "/torrin/uploads/" + chunkedId + "/complete"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"hash\": \"" + TestFiles.sha256(chunkedFile) + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
            String path = JSON.readTree(completed.body()).at("/location/path").asText();
            assertThat(TestFiles.sha256(
                            Files.readAllBytes(directory.resolve("files").resolve(path))))
                    .isEqualTo(TestFiles.sha256(chunkedFile));
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TestApplication.class)
                .properties(
                        "server.port=0",
                        "server.shutdown=graceful",
                        "spring.lifecycle.timeout-per-shutdown-phase=30s",
                        "torrin.shutdown.grace-period=" + GRACE.toSeconds() + "s",
                        "torrin.storage.local.directory=" + directory.resolve("files"),
                        "torrin.store.file.directory=" + directory.resolve("store"),
                        "torrin.chunk.min-size=256KB",
                        "torrin.chunk.default-size=256KB",
                        "torrin.minimum-data-rate=0")
                .run();
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private String create(int port, long size) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/torrin/uploads"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\": \"c.bin\", \"fileSize\": " + size
                                + ", \"desiredChunkSize\": " + CHUNK + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = JSON.readTree(created.body());
        assertThat(session.get("chunkSize").asLong()).isEqualTo(CHUNK);
        return session.get("uploadId").asText();
    }

    private int putChunk(int port, String id, int index, byte[] bytes) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + "/torrin/uploads/" + id + "/chunks/" + index))
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private String sha256(StorageLocation location) throws IOException {
        return TestFiles.sha256(Files.readAllBytes(
                directory.resolve("files").resolve(location.attribute("path").orElseThrow())));
    }

    /** Reads what the server answered on a raw connection, or "" if it closed it without an answer. */
    private static String readAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        try (InputStream in = socket.getInputStream()) {
            return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
