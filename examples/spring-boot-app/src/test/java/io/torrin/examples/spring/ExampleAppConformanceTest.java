/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.http.RawHttp;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.filter.FormContentFilter;

/** The example app as shipped (its application.properties), on a random port: conformance suite and upload page. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleAppConformanceTest extends TorrinProtocolConformanceKit {

    @LocalServerPort
    int port;

    @Autowired
    StorageDriver storage;

    @Autowired
    ApplicationContext context;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        ExampleAppData.temporary(registry, "torrin-example-app");
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return Optional.of(Files.readAllBytes(((LocalStorageDriver) storage)
                .resolve(new StorageLocation(
                        location.get("type").asText(),
                        Map.of("path", location.get("path").asText())))));
    }

    @Test
    void uploadPageWhenRequestedThenServedWithItsScripts() throws Exception {
        assertThat(servedBody("/"))
                .contains(
                        "<input type=\"file\" id=\"files\" multiple>",
                        "id=\"drop\"",
                        "src=\"upload.js\"",
                        "src=\"page.js\"");
        assertThat(servedBody("/upload.js")).contains("const ENDPOINT = '/torrin/uploads';", "X-Torrin-Chunk-Hash");
        assertThat(servedBody("/page.js")).contains("localStorage", "/content");
    }

    private String servedBody(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /**
     * A form-typed PUT of 200 MiB to a path outside Torrin's is answered from its headers: no filter of the app
     * waits for the body to read it into memory (Spring's form-content filter would, and run out of heap).
     */
    @Test
    void formBodyToAnotherPathWhenDeclaredHugeThenAnsweredWithoutReadingIt() throws Exception {
        assertThat(context.getBeansOfType(FormContentFilter.class)).isEmpty();
        RawHttp.Response answer = RawHttp.exchange(
                URI.create("http://127.0.0.1:" + port),
                "PUT /notes HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 209715200\r\n",
                "a=1&b=".getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(30));
        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        assertThat(answer.elapsed()).isLessThan(Duration.ofSeconds(5));
    }
}
