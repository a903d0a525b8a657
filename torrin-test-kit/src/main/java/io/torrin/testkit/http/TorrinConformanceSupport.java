/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;

/**
 * The fixture and helpers of {@link TorrinProtocolConformanceKit}: the HTTP client, request and assertion helpers,
 * and the hooks a subclass implements. The kit's groups are spread over this class, {@link TorrinStrictConformance}
 * and the kit itself only to keep each file small; subclass {@link TorrinProtocolConformanceKit}.
 */
public abstract class TorrinConformanceSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long WISHED_CHUNK = 256 * 1024;

    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * Returns the absolute URL of the protocol's mount point, without a trailing slash.
     *
     * @return the URL
     */
    protected abstract URI mountUrl();

    /**
     * Reads a completed file from the server's storage, for suites that can see it.
     *
     * @param location the {@code location} object of the complete response
     * @return the stored bytes, or empty if this suite cannot see the storage (the default)
     * @throws IOException if reading fails
     */
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return Optional.empty();
    }

    /**
     * Tells whether the server's storage verifies a whole-file SHA-256 at complete. Default {@code true}; S3-backed
     * servers answer such a hash with {@code 400 INVALID_REQUEST}, and the suite then completes without one.
     *
     * @return whether whole-file hashes are supported
     */
    protected boolean wholeFileHashSupported() {
        return true;
    }

    /** An HTTP answer with its parsed JSON body (or null). */
    protected record Answer(int status, HttpHeaders headers, JsonNode json) {
        String errorCode() {
            return json == null || json.get("error") == null
                    ? null
                    : json.get("error").get("code").asText();
        }
    }

    /**
     * Sends a request below the mount point.
     *
     * @param method the method
     * @param path the path below the mount point, starting with {@code /} or empty
     * @param body the body, or null for none
     * @param headers header name/value pairs
     * @return the answer
     * @throws Exception if the request fails
     */
    protected Answer call(String method, String path, BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mountUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? BodyPublishers.noBody() : body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = client.send(request.build(), BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.headers(), parse(response));
    }

    static JsonNode parse(HttpResponse<byte[]> response) {
        boolean json = response.headers()
                .firstValue("Content-Type")
                .map(t -> t.startsWith("application/json"))
                .orElse(false);
        try {
            return json && response.body().length > 0 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            throw new AssertionError("the server sent invalid JSON: " + new String(response.body()), e);
        }
    }

    Answer createRaw(String json) throws Exception {
        return call("POST", "", BodyPublishers.ofString(json), "Content-Type", "application/json");
    }

    JsonNode create(long fileSize) throws Exception {
        Answer answer = createRaw("{\"fileName\":\"conformance.bin\",\"fileSize\":" + fileSize
                + ",\"mimeType\":\"application/octet-stream\",\"metadata\":{\"suite\":\"conformance\"},"
                + "\"desiredChunkSize\":" + WISHED_CHUNK + "}");
        assertThat(answer.status()).as("create: %s", answer.json()).isEqualTo(201);
        return answer.json();
    }

    /** An upload created for a test: its session and its random content. */
    protected record Upload(String id, long chunkSize, int totalChunks, byte[] file) {
        byte[] chunk(int index) {
            return TestFiles.chunk(file, chunkSize, index);
        }
    }

    /**
     * Creates an upload of about {@code chunks} chunks (the last one short) of the server's chunk size for a
     * 256 KiB wish.
     *
     * @param chunks the number of chunks, at least 1
     * @return the upload
     * @throws Exception if the server refuses
     */
    protected Upload newUpload(int chunks) throws Exception {
        long chunkSize = serverChunkSize();
        int size = (int) (chunkSize * (chunks - 1) + Math.max(1, chunkSize / 3));
        JsonNode session = create(size);
        assertThat(session.get("chunkSize").asLong()).isEqualTo(chunkSize);
        return new Upload(
                session.get("uploadId").asText(),
                chunkSize,
                session.get("totalChunks").asInt(),
                TestFiles.randomBytes(size));
    }

    long serverChunkSize() throws Exception {
        JsonNode probe = create(64L * 1024 * 1024);
        call("DELETE", "/" + probe.get("uploadId").asText(), null);
        return probe.get("chunkSize").asLong();
    }

    Answer put(Upload upload, int index, byte[] bytes, String... headers) throws Exception {
        return call("PUT", "/" + upload.id() + "/chunks/" + index, BodyPublishers.ofByteArray(bytes), headers);
    }

    Answer put(Upload upload, int index) throws Exception {
        byte[] chunk = upload.chunk(index);
        return put(
                upload,
                index,
                chunk,
                "Content-Type",
                "application/octet-stream",
                "X-Torrin-Chunk-Hash",
                TestFiles.sha256(chunk));
    }

    Answer status(Upload upload) throws Exception {
        return call("GET", "/" + upload.id() + "/status", null);
    }

    Answer complete(Upload upload, String hash) throws Exception {
        return call(
                "POST",
                "/" + upload.id() + "/complete",
                BodyPublishers.ofString(hash == null ? "{}" : "{\"hash\":\"" + hash + "\"}"),
                "Content-Type",
                "application/json");
    }

    static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(status);
        assertThat(answer.errorCode()).as("%s", answer.json()).isEqualTo(code);
        assertThat(answer.json().get("error").get("message").asText()).isNotBlank();
    }

    Answer completeAndVerify(Upload upload) throws Exception {
        Answer done = complete(upload, wholeFileHashSupported() ? TestFiles.sha256(upload.file()) : null);
        assertThat(done.status()).as("%s", done.json()).isEqualTo(200);
        assertThat(done.json().get("status").asText()).isEqualTo("completed");
        assertThat(done.json().get("fileSize").asLong()).isEqualTo(upload.file().length);
        assertThat(done.json().get("location").get("type").isTextual()).isTrue();
        Optional<byte[]> stored = storedBytes(done.json().get("location"));
        stored.ifPresent(bytes -> assertThat(TestFiles.sha256(bytes)).isEqualTo(TestFiles.sha256(upload.file())));
        return done;
    }
}
