/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.testkit.Concurrently;
import io.torrin.testkit.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Two server instances behind one "load balancer": an upload is created on the first, its chunks go alternately
 * to both from several threads, and both are asked to complete it at the same time. Exactly one finalize must
 * happen; the other instance answers {@code 409 UPLOAD_ALREADY_COMPLETED}.
 */
public final class TwoInstanceScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Runs the scenario.
     *
     * @param first the mount URL of one instance
     * @param second the mount URL of the other
     * @param file the file to upload
     * @param chunkSize the chunk size to ask for
     * @return the successful complete response
     * @throws Exception if a request fails
     */
    public JsonNode run(URI first, URI second, byte[] file, long chunkSize) throws Exception {
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(first)
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString("{\"fileName\":\"shared.bin\",\"fileSize\":" + file.length
                                + ",\"desiredChunkSize\":" + chunkSize + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = JSON.readTree(created.body());
        String id = session.get("uploadId").asText();
        long size = session.get("chunkSize").asLong();
        int total = session.get("totalChunks").asInt();
        Concurrently.run(4, worker -> {
            for (int index = worker; index < total; index += 4) {
                URI target = index % 2 == 0 ? first : second;
                byte[] chunk = TestFiles.chunk(file, size, index);
                HttpResponse<String> put = client.send(
                        HttpRequest.newBuilder(URI.create(target + "/" + id + "/chunks/" + index))
                                .header("X-Torrin-Chunk-Hash", TestFiles.sha256(chunk))
                                .timeout(Duration.ofMinutes(1))
                                .PUT(BodyPublishers.ofByteArray(chunk))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            }
            return null;
        });
        for (URI instance : List.of(first, second)) {
            JsonNode status = JSON.readTree(client.send(
                            HttpRequest.newBuilder(URI.create(instance + "/" + id + "/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(status.get("missingChunks").size())
                    .as("every instance sees every chunk")
                    .isZero();
        }
        List<HttpResponse<String>> completes = Concurrently.run(
                2,
                worker -> client.send(
                        HttpRequest.newBuilder(URI.create((worker == 0 ? first : second) + "/" + id + "/complete"))
                                .header("Content-Type", "application/json")
                                .POST(BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        List<HttpResponse<String>> succeeded =
                completes.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(succeeded)
                .as(
                        "exactly one finalize: %s",
                        completes.stream().map(HttpResponse::body).toList())
                .hasSize(1);
        assertThat(completes)
                .filteredOn(r -> r.statusCode() != 200)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.statusCode()).isEqualTo(409);
                    assertThat(r.body()).contains("UPLOAD_ALREADY_COMPLETED");
                });
        return JSON.readTree(succeeded.get(0).body());
    }
}
