/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.faults.Fault;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault injector's HTTP control endpoint: rules added by POST fire, GET lists them, DELETE removes them. */
class FaultInjectorControlTest {

    @TempDir
    Path directory;

    @Test
    void controlEndpointWhenARuleIsPostedThenItFiresAndCanBeRemoved() throws Exception {
        try (TestServer server = new TestServer(directory.resolve("server"));
                TorrinClient client = TorrinClient.builder(server.endpoint())
                        .resumeStore(ResumeStore.inMemory())
                        .build()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> added = http.send(
                    HttpRequest.newBuilder(server.url("/__faults"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"method\":\"PUT\",\"path\":\".*/chunks/0\",\"fault\":\"FAIL\",\"status\":503,"
                                            + "\"times\":2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(201);
            Path file = TestServer.randomFile(directory, "controlled.bin", 200_000, 7);
            UploadResult result = client.upload(file).result().get(30, TimeUnit.SECONDS);
            assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
            assertThat(server.faults.injected(Fault.FAIL)).isEqualTo(2);
            HttpResponse<String> listed = http.send(
                    HttpRequest.newBuilder(server.url("/__faults")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.body()).contains("\"fault\":\"FAIL\"", "\"fired\":2");
            HttpResponse<String> cleared = http.send(
                    HttpRequest.newBuilder(server.url("/__faults")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cleared.statusCode()).isEqualTo(204);
            assertThat(server.faults.rules()).isEmpty();
        }
    }
}
