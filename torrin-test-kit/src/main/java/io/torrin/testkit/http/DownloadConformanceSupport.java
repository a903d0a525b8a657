/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.testkit.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fixture and helpers of {@link DownloadConformanceKit}: the HTTP client, uploads through the Torrin protocol
 * and tus, requests of a download and the hooks a subclass implements. Subclass {@link DownloadConformanceKit} for the
 * suite; a test of one server's own download behaviour (a redirect to storage, a real client such as curl) may
 * subclass this class for its upload and request helpers.
 */
public abstract class DownloadConformanceSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TUS_VERSION = "1.0.0";
    static final long WISHED_CHUNK = 256 * 1024;

    /** One completed upload per server, shared by the tests that only read it (keyed by the mount URL). */
    private static final Map<URI, Uploaded> SHARED = new ConcurrentHashMap<>();

    /** Redirects are not followed: a {@code 307} to storage is an answer the kit wants to see. */
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * Returns the absolute URL of the Torrin protocol's mount point, without a trailing slash; the server serves
     * downloads there ({@code GET|HEAD {mount}/{id}/content}).
     *
     * @return the URL
     */
    protected abstract URI mountUrl();

    /**
     * Returns the absolute URL of the tus creation endpoint of the same server, when it serves tus with downloads
     * ({@code GET} of the upload URL); the tus groups are skipped without one.
     *
     * @return the URL without a trailing slash, or empty (the default)
     */
    protected Optional<URI> tusUrl() {
        return Optional.empty();
    }

    /**
     * Tells whether the server's storage verifies a whole-file SHA-256 at complete (S3-backed servers refuse one);
     * when it does, the kit completes with the hash and expects it as the {@code ETag}.
     *
     * @return {@code true} by default
     */
    protected boolean wholeFileHashSupported() {
        return true;
    }

    /**
     * A completed (or, for error tests, unfinished) upload: its id, the bytes sent and the URL it downloads from.
     *
     * @param id the upload id
     * @param data the uploaded bytes
     * @param url the download URL
     */
    protected record Uploaded(String id, byte[] data, URI url) {
        /** The bytes from {@code from} (inclusive) to {@code to} (exclusive). */
        byte[] slice(long from, long to) {
            return Arrays.copyOfRange(data, (int) from, (int) to);
        }

        int length() {
            return data.length;
        }
    }

    /**
     * Returns the upload the read-only tests share: a random file of three chunks of the server's chunk size (the
     * last one short), so ranges cross chunk (S3 part) boundaries.
     *
     * @return the upload, completed
     * @throws Exception if the upload fails
     */
    protected Uploaded shared() throws Exception {
        Uploaded known = SHARED.get(mountUrl());
        if (known != null) {
            return known;
        }
        long chunk = chunkSize();
        Uploaded fresh = upload(
                "shared.bin", "application/octet-stream", TestFiles.randomBytes((int) (chunk * 2 + chunk / 3 + 7)));
        Uploaded raced = SHARED.putIfAbsent(mountUrl(), fresh);
        return raced == null ? fresh : raced;
    }

    /** The server's chunk size for the kit's wish, from a probe upload that is deleted again. */
    long chunkSize() throws Exception {
        JsonNode probe = create("probe.bin", "application/octet-stream", 64L * 1024 * 1024);
        fetch("DELETE", URI.create(mountUrl() + "/" + probe.get("uploadId").asText()));
        return probe.get("chunkSize").asLong();
    }

    JsonNode create(String fileName, String mimeType, long size) throws Exception {
        String body = JSON.createObjectNode()
                .put("fileName", fileName)
                .put("fileSize", size)
                .put("mimeType", mimeType)
                .put("desiredChunkSize", WISHED_CHUNK)
                .toString();
        HttpResponse<byte[]> created = createRaw(body);
        assertThat(created.statusCode()).as("create: %s", text(created)).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    HttpResponse<byte[]> createRaw(String json) throws Exception {
        return send(HttpRequest.newBuilder(mountUrl())
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)));
    }

    /**
     * Uploads a file through the Torrin protocol and completes it (with its SHA-256 where the server verifies one).
     *
     * @param fileName the file name sent at creation
     * @param mimeType the type sent at creation
     * @param data the bytes, at least one
     * @return the completed upload, downloading from {@code {mount}/{id}/content}
     * @throws Exception if the server refuses a step
     */
    protected Uploaded upload(String fileName, String mimeType, byte[] data) throws Exception {
        Uploaded upload = started(fileName, mimeType, data, Integer.MAX_VALUE);
        String hash = wholeFileHashSupported() ? "{\"hash\":\"" + TestFiles.sha256(data) + "\"}" : "{}";
        HttpResponse<byte[]> done =
                send(HttpRequest.newBuilder(URI.create(mountUrl() + "/" + upload.id() + "/complete"))
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString(hash)));
        assertThat(done.statusCode()).as("complete: %s", text(done)).isEqualTo(200);
        return upload;
    }

    /** Creates a Torrin upload and sends its first {@code chunks} chunks (all of them for a large number). */
    Uploaded started(String fileName, String mimeType, byte[] data, int chunks) throws Exception {
        JsonNode session = create(fileName, mimeType, data.length);
        String id = session.get("uploadId").asText();
        long chunkSize = session.get("chunkSize").asLong();
        int total = Math.min(chunks, session.get("totalChunks").asInt());
        for (int index = 0; index < total; index++) {
            byte[] chunk = TestFiles.chunk(data, chunkSize, index);
            HttpResponse<byte[]> put =
                    send(HttpRequest.newBuilder(URI.create(mountUrl() + "/" + id + "/chunks/" + index))
                            .header("Content-Type", "application/octet-stream")
                            .header("X-Torrin-Chunk-Hash", TestFiles.sha256(chunk))
                            .PUT(BodyPublishers.ofByteArray(chunk)));
            assertThat(put.statusCode()).as("chunk %d: %s", index, text(put)).isEqualTo(200);
        }
        return new Uploaded(id, data, URI.create(mountUrl() + "/" + id + "/content"));
    }

    /**
     * Uploads a file through tus: creation with {@code filename} and {@code filetype} metadata, then the bytes in
     * two {@code PATCH} requests, the second only if {@code complete}.
     *
     * @param fileName the file name
     * @param data the bytes, at least two
     * @param complete whether to send the second half
     * @return the upload, downloading from its upload URL
     * @throws Exception if the server refuses a step
     */
    Uploaded tusUpload(String fileName, byte[] data, boolean complete) throws Exception {
        URI creation = tusUrl().orElseThrow();
        String metadata = "filename " + base64(fileName) + ",filetype " + base64("application/octet-stream");
        HttpResponse<byte[]> created = send(HttpRequest.newBuilder(creation)
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", metadata)
                .POST(BodyPublishers.noBody()));
        assertThat(created.statusCode()).as("tus creation: %s", text(created)).isEqualTo(201);
        URI url = creation.resolve(created.headers().firstValue("Location").orElseThrow());
        int half = data.length / 2;
        patch(url, 0, Arrays.copyOfRange(data, 0, half));
        if (complete) {
            patch(url, half, Arrays.copyOfRange(data, half, data.length));
        }
        String path = url.getPath();
        return new Uploaded(path.substring(path.lastIndexOf('/') + 1), data, url);
    }

    private void patch(URI url, long offset, byte[] bytes) throws Exception {
        HttpResponse<byte[]> patched = send(HttpRequest.newBuilder(url)
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(bytes)));
        assertThat(patched.statusCode()).as("tus PATCH: %s", text(patched)).isEqualTo(204);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofByteArray());
    }

    /**
     * Sends a request without a body (a {@code GET} or {@code HEAD} of a download) with header name/value pairs.
     *
     * @param method the method, for example {@code GET} or {@code HEAD}
     * @param url the download URL
     * @param headers header name/value pairs
     * @return the answer with its whole body
     * @throws Exception if the request fails
     */
    protected HttpResponse<byte[]> fetch(String method, URI url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).method(method, BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    HttpResponse<byte[]> get(Uploaded upload, String... headers) throws Exception {
        return fetch("GET", upload.url(), headers);
    }

    static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<byte[]> response, String name) {
        return response.headers()
                .firstValue(name)
                .orElseThrow(() -> new AssertionError(
                        "no " + name + " in " + response.headers().map()));
    }

    /** Asserts a {@code 200} with the whole file: length, SHA-256 and the range headers of a full answer. */
    static void assertWhole(HttpResponse<byte[]> response, Uploaded upload) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(upload.length());
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        assertThat(TestFiles.sha256(response.body())).isEqualTo(TestFiles.sha256(upload.data()));
    }

    /** Asserts a {@code 206} of bytes {@code from} to {@code to} (exclusive): headers and SHA-256 of the body. */
    static void assertPart(HttpResponse<byte[]> response, Uploaded upload, long from, long to) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(206);
        assertThat(header(response, "Content-Range"))
                .isEqualTo("bytes " + from + "-" + (to - 1) + "/" + upload.length());
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(to - from);
        assertThat(TestFiles.sha256(response.body())).isEqualTo(TestFiles.sha256(upload.slice(from, to)));
        assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
    }

    /** Asserts an error of the Torrin protocol: the status and the code of its JSON envelope. */
    static void assertError(HttpResponse<byte[]> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(response.body()).get("error").get("code").asText())
                .isEqualTo(code);
    }
}
