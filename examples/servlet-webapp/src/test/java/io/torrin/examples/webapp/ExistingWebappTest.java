/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.core.StorageLocation;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against the example webapp, and the webapp's own pages next to it. */
class ExistingWebappTest extends TorrinProtocolConformanceKit {

    @TempDir
    static Path data;

    private static ExistingWebapp app;

    @BeforeAll
    static void start() throws Exception {
        app = ExistingWebapp.start("127.0.0.1", 0, data);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + app.port() + ExistingWebapp.MOUNT_PATH);
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return Optional.of(Files.readAllBytes(app.storage()
                .resolve(new StorageLocation(
                        location.get("type").asText(),
                        Map.of("path", location.get("path").asText())))));
    }

    @Test
    void applicationPagesWhenRequestedThenServedByTheApplicationAndCompletedUploadsListed() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> home = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(home.body()).startsWith("An existing web application.");
        String id = new ObjectMapper()
                .readTree(client.send(
                                HttpRequest.newBuilder(mountUrl())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"fileName\":\"listed.txt\",\"fileSize\":5}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("uploadId")
                .asText();
        client.send(
                HttpRequest.newBuilder(URI.create(mountUrl() + "/" + id + "/chunks/0"))
                        .PUT(HttpRequest.BodyPublishers.ofString("hello"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(mountUrl() + "/" + id + "/complete"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/files"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .contains("listed.txt 5"));
    }
}
