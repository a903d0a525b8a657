/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.server.UploadEvent;
import io.torrin.spring.TorrinUploadEvent;
import io.torrin.spring.app.TestApplication;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.ReadOnlyDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot app on a random port with Actuator and the Prometheus registry: after uploads over HTTP the
 * Prometheus scrape holds Torrin's meters with the values the uploads imply, {@code /actuator/health} shows the
 * {@code torrin} group and turns DOWN while the storage directory is read-only, and {@code @EventListener}s get
 * every upload event as a {@link TorrinUploadEvent}.
 */
@SpringBootTest(
        classes = {TestApplication.class, OperationsEndpointsTest.Events.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=health,prometheus",
            "management.endpoint.health.show-details=always",
            "torrin.chunk.min-size=64KB",
            "torrin.chunk.default-size=64KB"
        })
@AutoConfigureObservability(tracing = false)
class OperationsEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add(
                "torrin.storage.local.directory",
                () -> directory.resolve("files").toString());
        registry.add(
                "torrin.store.file.directory", () -> directory.resolve("store").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    Events events;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusScrapeHoldsTorrinMetersWithTheValuesOfTheUploads() throws Exception {
        double completedBefore =
                value(scrape(), "torrin_uploads_completed_total\\{protocol=\"torrin\",storage=\"local\"}");
        double bytesBefore =
                value(scrape(), "torrin_upload_received_bytes_total\\{protocol=\"torrin\",storage=\"local\"}");
        byte[] file = TestFiles.randomBytes(200_000);
        Uploaded stored = upload(file);
        assertThat(TestFiles.sha256(
                        Files.readAllBytes(directory.resolve("files").resolve(stored.path()))))
                .isEqualTo(TestFiles.sha256(file));

        String scrape = scrape();
        assertThat(value(scrape, "torrin_uploads_completed_total\\{protocol=\"torrin\",storage=\"local\"}"))
                .isEqualTo(completedBefore + 1);
        assertThat(value(scrape, "torrin_upload_received_bytes_total\\{protocol=\"torrin\",storage=\"local\"}"))
                .isEqualTo(bytesBefore + file.length);
        assertThat(scrape)
                .contains("torrin_operation_seconds_bucket{error=\"none\",operation=\"chunk\",outcome=\"success\","
                        + "protocol=\"torrin\",storage=\"local\",le=")
                .contains("torrin_store_operation_seconds_count{operation=\"markChunkReceived\",outcome=\"success\","
                        + "store=\"file\"}")
                .contains("torrin_lock_wait_seconds_count{mode=\"shared\",outcome=\"acquired\"}")
                .contains("torrin_uploads_in_flight ");
        // a client error shows up by its code, and never as a 500
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(url("/torrin/uploads/nope0000000000000000/status"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(scrape())
                .contains("torrin_errors_total{code=\"UPLOAD_NOT_FOUND\",operation=\"status\",protocol=\"torrin\"}");
    }

    @Test
    void healthShowsTheTorrinGroupAndGoesDownWhileTheStorageDirectoryIsReadOnly() throws Exception {
        JsonNode up = health(200);
        JsonNode torrin = up.at("/components/torrin");
        assertThat(torrin.path("status").asText()).isEqualTo("UP");
        assertThat(torrin.at("/components/storage/details/kind").asText()).isEqualTo("local");
        assertThat(torrin.at("/components/storage/details/freeBytes").asLong()).isPositive();
        assertThat(torrin.at("/components/store/details/kind").asText()).isEqualTo("file");

        try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(directory.resolve("files"))) {
            JsonNode down = health(503);
            assertThat(down.path("status").asText()).isEqualTo("DOWN");
            assertThat(down.at("/components/torrin/components/storage/status").asText())
                    .isEqualTo("DOWN");
            assertThat(down.at("/components/torrin/components/storage/details/error")
                            .asText())
                    .contains("cannot write in");
            assertThat(down.at("/components/torrin/components/store/status").asText())
                    .isEqualTo("UP");
        }
        assertThat(health(200).at("/components/torrin/status").asText()).isEqualTo("UP");
    }

    @Test
    void eventListenersGetEveryUploadEventAsAnApplicationEvent() throws Exception {
        byte[] file = TestFiles.randomBytes(70_000);
        String uploadId = upload(file).id();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (types(uploadId).size() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        List<UploadEvent.Type> types = types(uploadId);
        assertThat(types)
                .containsExactly(
                        UploadEvent.Type.CREATED,
                        UploadEvent.Type.CHUNK_RECEIVED,
                        UploadEvent.Type.CHUNK_RECEIVED,
                        UploadEvent.Type.COMPLETED);
        assertThat(events.received
                        .get(events.received.size() - 1)
                        .getUploadEvent()
                        .protocol())
                .contains("torrin");
    }

    private List<UploadEvent.Type> types(String uploadId) {
        return events.received.stream()
                .filter(e -> e.getSession().uploadId().equals(uploadId))
                .map(TorrinUploadEvent::getType)
                .toList();
    }

    /** An upload's id and path relative to the storage directory. */
    private record Uploaded(String id, String path) {}

    /** Collects the application events. */
    @TestConfiguration
    static class Events {
        final List<TorrinUploadEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(TorrinUploadEvent event) {
            received.add(event);
        }
    }

    /** Uploads a file with the Torrin protocol. */
    private Uploaded upload(byte[] file) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(url("/torrin/uploads"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"fileName\": \"f.bin\", \"fileSize\": " + file.length + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = JSON.readTree(created.body());
        String id = session.get("uploadId").asText();
        long chunkSize = session.get("chunkSize").asLong();
        for (int i = 0; i < session.get("totalChunks").asInt(); i++) {
            HttpResponse<String> chunk = http.send(
                    HttpRequest.newBuilder(url("/torrin/uploads/" + id + "/chunks/" + i))
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(TestFiles.chunk(file, chunkSize, i)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chunk.statusCode()).as(chunk.body()).isEqualTo(200);
        }
        HttpResponse<String> completed = http.send(
                HttpRequest.newBuilder(url("/torrin/uploads/" + id + "/complete"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"hash\": \"" + TestFiles.sha256(file) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        return new Uploaded(
                id, JSON.readTree(completed.body()).at("/location/path").asText());
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(url("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private JsonNode health(int status) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(url("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** The value of one series in a scrape, 0 if the series is not there yet. */
    private static double value(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
