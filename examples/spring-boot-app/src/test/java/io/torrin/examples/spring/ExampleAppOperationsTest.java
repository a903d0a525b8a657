/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.client.TorrinClient;
import io.torrin.client.UploadResult;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.ReadOnlyDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example app as shipped, with its Actuator settings: after uploads by the Torrin client and by tus, its
 * Prometheus scrape holds Torrin's meters, and its health endpoint reports the {@code torrin} group, DOWN while the
 * storage directory is read-only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
class ExampleAppOperationsTest {

    private static Path data;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        data = ExampleAppData.temporary(registry, "torrin-example-ops");
    }

    @Test
    void prometheusScrapeOfTheRunningAppHoldsTorrinMetersAfterUploads() throws Exception {
        Path file = data.resolve("sent.bin");
        Files.write(file, TestFiles.randomBytes(9 * 1024 * 1024 + 77));
        UploadResult result;
        try (TorrinClient client = TorrinClient.builder(URI.create("http://127.0.0.1:" + port + "/torrin/uploads"))
                .build()) {
            result = client.upload(file).result().get(60, TimeUnit.SECONDS);
        }
        Path stored = data.resolve("files")
                .resolve(result.location().orElseThrow().get("path").toString());
        assertThat(TestFiles.sha256(Files.readAllBytes(stored))).isEqualTo(TestFiles.sha256(Files.readAllBytes(file)));

        String scrape = get("/actuator/prometheus", 200);
        assertThat(scrape)
                .contains("torrin_uploads_initiated_total{protocol=\"torrin\",storage=\"local\"}")
                .contains("torrin_uploads_completed_total{protocol=\"torrin\",storage=\"local\"}")
                .contains("torrin_upload_received_bytes_total{protocol=\"torrin\",storage=\"local\"}")
                .contains("torrin_operation_seconds_bucket{error=\"none\",operation=\"complete\",outcome=\"success\","
                        + "protocol=\"torrin\",storage=\"local\"")
                .contains("torrin_storage_operation_seconds_count{operation=\"complete\",outcome=\"success\","
                        + "storage=\"local\"}")
                .contains("torrin_uploads_in_flight")
                .doesNotContain(result.uploadId());
        assertThat(sum(scrape, "torrin_upload_received_bytes_total")).isGreaterThanOrEqualTo(Files.size(file));
    }

    @Test
    void healthReportsTheTorrinGroupAndDownWhileTheStorageIsReadOnly() throws Exception {
        JsonNode up = new ObjectMapper().readTree(get("/actuator/health", 200));
        assertThat(up.at("/components/torrin/components/storage/status").asText())
                .isEqualTo("UP");
        assertThat(up.at("/components/torrin/components/store/status").asText()).isEqualTo("UP");
        try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(data.resolve("files"))) {
            JsonNode down = new ObjectMapper().readTree(get("/actuator/health", 503));
            assertThat(down.at("/components/torrin/components/storage/status").asText())
                    .isEqualTo("DOWN");
        }
        assertThat(new ObjectMapper()
                        .readTree(get("/actuator/health", 200))
                        .path("status")
                        .asText())
                .isEqualTo("UP");
    }

    private String get(String path, int status) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }

    private static double sum(String scrape, String name) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
