/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example app as shipped (downloads switched on in its application.properties) on a random port, read back with
 * the JDK's {@link HttpClient} through both the Torrin route and the tus upload URL: whole file, ranges at the edges, If-Range and conditional requests, SHA-256 of every
 * read compared with what was uploaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleAppDownloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 256 * 1024;

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();
    private byte[] data;
    private String id;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        ExampleAppData.temporary(registry, "torrin-example-download");
    }

    @BeforeEach
    void uploadRandomFile() throws Exception {
        data = new byte[CHUNK * 3 + ThreadLocalRandom.current().nextInt(1, CHUNK)];
        ThreadLocalRandom.current().nextBytes(data);
        String init = "{\"fileSize\":" + data.length + ",\"fileName\":\"r\u00e9sum\u00e9 \\\"1\\\".bin\","
                + "\"mimeType\":\"application/octet-stream\",\"desiredChunkSize\":" + CHUNK + "}";
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(uploads(""))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(init))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = JSON.readTree(created.body());
        id = session.get("uploadId").asText();
        int chunkSize = session.get("chunkSize").asInt();
        for (int index = 0; index < session.get("totalChunks").asInt(); index++) {
            int from = index * chunkSize;
            byte[] chunk = Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize));
            HttpResponse<String> put = client.send(
                    HttpRequest.newBuilder(uploads("/" + id + "/chunks/" + index))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        }
        HttpResponse<String> complete = client.send(
                HttpRequest.newBuilder(uploads("/" + id + "/complete"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"hash\":\"" + sha256(data) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
    }

    @Test
    void downloadWhenWholeThenSameBytesStrongEtagAndSafeHeaders() throws Exception {
        HttpResponse<byte[]> whole = get(content().GET());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(sha256(whole.body())).isEqualTo(sha256(data));
        assertThat(whole.headers().firstValue("ETag")).contains("\"" + sha256(data) + "\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(whole.headers().firstValue("Last-Modified")).isPresent();
        assertThat(whole.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment;")
                .contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.bin")
                .doesNotContain("\r", "\n");

        HttpResponse<byte[]> head = get(content().method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(data.length);

        HttpResponse<byte[]> viaTus =
                get(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/torrin/tus/" + id))
                        .GET());
        assertThat(viaTus.statusCode()).isEqualTo(200);
        assertThat(sha256(viaTus.body())).isEqualTo(sha256(data));
    }

    @Test
    void downloadWhenRangesAtTheEdgesThenExactSlicesOr416() throws Exception {
        assertRange("bytes=0-0", 0, 1);
        assertRange("bytes=" + (data.length - 1) + "-", data.length - 1, data.length);
        assertRange("bytes=-10", data.length - 10, data.length);
        assertRange("bytes=" + (CHUNK - 3) + "-" + (CHUNK + 2), CHUNK - 3, CHUNK + 3);
        assertRange("bytes=5-" + (data.length + 1000), 5, data.length);
        assertRange("bytes=-" + (data.length + 5), 0, data.length);

        HttpResponse<byte[]> beyond =
                get(content().header("Range", "bytes=" + data.length + "-").GET());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + data.length);
    }

    @Test
    void downloadWhenResumedWithIfRangeThenRestOnlyWhileUnchanged() throws Exception {
        HttpResponse<byte[]> first =
                get(content().header("Range", "bytes=0-99999").GET());
        assertThat(first.statusCode()).isEqualTo(206);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> rest = get(content()
                .header("Range", "bytes=100000-")
                .header("If-Range", etag)
                .GET());
        assertThat(rest.statusCode()).isEqualTo(206);
        byte[] joined = new byte[data.length];
        System.arraycopy(first.body(), 0, joined, 0, first.body().length);
        System.arraycopy(rest.body(), 0, joined, first.body().length, rest.body().length);
        assertThat(first.body().length + rest.body().length).isEqualTo(data.length);
        assertThat(sha256(joined)).isEqualTo(sha256(data));

        HttpResponse<byte[]> stale = get(content()
                .header("Range", "bytes=100000-")
                .header("If-Range", "\"other\"")
                .GET());
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(sha256(stale.body())).isEqualTo(sha256(data));

        HttpResponse<byte[]> notModified =
                get(content().header("If-None-Match", etag).GET());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        HttpResponse<byte[]> failed =
                get(content().header("If-Match", "\"other\"").GET());
        assertThat(failed.statusCode()).isEqualTo(412);
    }

    private void assertRange(String range, int from, int to) throws Exception {
        HttpResponse<byte[]> part = get(content().header("Range", range).GET());
        assertThat(part.statusCode()).as(range).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range"))
                .as(range)
                .contains("bytes " + from + "-" + (to - 1) + "/" + data.length);
        assertThat(sha256(part.body())).as(range).isEqualTo(sha256(Arrays.copyOfRange(data, from, to)));
    }

    private HttpRequest.Builder content() {
        return HttpRequest.newBuilder(uploads("/" + id + "/content"));
    }

    private HttpResponse<byte[]> get(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uploads(String path) {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads" + path);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
