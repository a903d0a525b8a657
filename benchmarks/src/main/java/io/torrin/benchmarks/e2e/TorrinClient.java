/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.benchmarks.tus.HttpConnection;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one Torrin wire protocol client of the end-to-end benchmark, on an {@link HttpConnection} (persistent, gathering
 * writes straight from the caller's off-heap buffers, one request at a time). It speaks the five routes of
 * {@code docs/protocol.md}: create ({@code POST /}), chunk ({@code PUT /{id}/chunks/{index}}), status
 * ({@code GET /{id}/status}), complete ({@code POST /{id}/complete}) and abort ({@code DELETE /{id}}).
 *
 * <p>Every answer is checked: the status code, and on the hot paths a cheap scan of the JSON body (a chunk's answer
 * must name its index, a status answer's chunk lists are counted); creation and completion answers are parsed fully.
 * Error answers raise an {@link IOException} carrying the server's error body.
 *
 * <p>Not thread-safe: one client per thread and connection.
 */
public final class TorrinClient implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] RECEIVED_INDEX = "\"receivedIndex\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED_CHUNKS = "\"receivedChunks\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_CHUNKS = "\"missingChunks\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS = "\"status\":\"".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection http;
    private final String mountPath;

    /**
     * What the creation answer says about a new upload.
     *
     * @param uploadId the upload's id
     * @param fileSize the file size the server recorded
     * @param chunkSize the negotiated chunk size
     * @param totalChunks the number of chunks
     * @param location the {@code Location} header
     */
    public record Created(String uploadId, long fileSize, long chunkSize, int totalChunks, String location) {}

    /**
     * The counts of a status answer.
     *
     * @param state the upload's state, e.g. {@code in_progress}
     * @param received the length of {@code receivedChunks}
     * @param missing the length of {@code missingChunks}
     */
    public record Status(String state, int received, int missing) {}

    /**
     * What the completion answer says.
     *
     * @param state the upload's state, {@code completed} on success
     * @param fileSize the file size
     * @param locationType the {@code location.type}, e.g. {@code local}
     * @param location the other attributes of {@code location}, e.g. {@code path}
     */
    public record Completed(String state, long fileSize, String locationType, Map<String, String> location) {}

    /**
     * Creates a client for one server; it connects on the first request.
     *
     * @param mountUrl the absolute {@code http} URL of the protocol's mount point, e.g.
     *     {@code http://127.0.0.1:41234/files}; all requests go to its host and port
     */
    public TorrinClient(URI mountUrl) {
        this.http = new HttpConnection(mountUrl);
        String path = mountUrl.getRawPath() == null ? "" : mountUrl.getRawPath();
        this.mountPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Creates an upload: {@code POST /} with {@code {"fileSize", "desiredChunkSize"}}.
     *
     * @param fileSize the file's size in bytes
     * @param desiredChunkSize the chunk size asked for
     * @return the parsed answer
     * @throws IOException if the request fails or the answer is not {@code 201} with a session
     */
    public Created create(long fileSize, long desiredChunkSize) throws IOException {
        byte[] json = ("{\"fileSize\":" + fileSize + ",\"desiredChunkSize\":" + desiredChunkSize + "}")
                .getBytes(StandardCharsets.UTF_8);
        http.exchange(
                "POST",
                mountPath + "/",
                "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n",
                ByteBuffer.wrap(json));
        expect(201, "POST /");
        JsonNode answer = parsedBody();
        String id = answer.path("uploadId").asText("");
        String location = http.header("Location");
        if (id.isEmpty() || location == null || !location.endsWith("/" + id)) {
            throw new IOException("creation answer without uploadId or matching Location: " + location + " " + text());
        }
        return new Created(
                id,
                answer.path("fileSize").asLong(),
                answer.path("chunkSize").asLong(),
                answer.path("totalChunks").asInt(),
                location);
    }

    /**
     * Sends one chunk: {@code PUT /{id}/chunks/{index}} with {@code Content-Length} and the raw bytes.
     *
     * @param uploadId the upload
     * @param index the chunk index
     * @param chunk the bytes: the remaining bytes of these buffers, in order (their positions are consumed)
     * @throws IOException if the request fails, the answer is not {@code 200} or does not name the index
     */
    public void putChunk(String uploadId, int index, ByteBuffer... chunk) throws IOException {
        putChunk(uploadId, index, null, chunk);
    }

    /**
     * Sends one chunk with its SHA-256 in {@code X-Torrin-Chunk-Hash}, which the server verifies while it stores.
     *
     * @param uploadId the upload
     * @param index the chunk index
     * @param sha256 the chunk's SHA-256 in hex, or null to send none
     * @param chunk the bytes: the remaining bytes of these buffers, in order (their positions are consumed)
     * @throws IOException if the request fails, the answer is not {@code 200} or does not name the index
     */
    public void putChunk(String uploadId, int index, String sha256, ByteBuffer... chunk) throws IOException {
        long length = 0;
        for (ByteBuffer part : chunk) {
            length += part.remaining();
        }
        http.exchange(
                "PUT",
                mountPath + "/" + uploadId + "/chunks/" + index,
                "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n"
                        + (sha256 == null ? "" : "X-Torrin-Chunk-Hash: " + sha256 + "\r\n"),
                chunk);
        expect(200, "PUT chunk " + index + " of " + uploadId);
        int at = find(RECEIVED_INDEX, 0);
        if (at < 0 || readInt(at + RECEIVED_INDEX.length) != index) {
            throw new IOException(
                    "the answer to chunk " + index + " of " + uploadId + " names another index: " + text());
        }
    }

    /**
     * Asks for an upload's status: {@code GET /{id}/status}; counts the received and missing chunk lists.
     *
     * @param uploadId the upload
     * @return the state and the lengths of both lists
     * @throws IOException if the request fails or the answer is not {@code 200} with both lists
     */
    public Status status(String uploadId) throws IOException {
        http.exchange("GET", mountPath + "/" + uploadId + "/status", "");
        expect(200, "GET status of " + uploadId);
        int state = find(STATUS, 0);
        int received = countArray(RECEIVED_CHUNKS);
        int missing = countArray(MISSING_CHUNKS);
        if (state < 0 || received < 0 || missing < 0) {
            throw new IOException("status answer without status or chunk lists: " + text());
        }
        byte[] body = http.body();
        int bodyLength = http.bodyLength();
        int from = state + STATUS.length;
        int to = from;
        while (to < bodyLength && body[to] != '"') {
            to++;
        }
        return new Status(new String(body, from, to - from, StandardCharsets.UTF_8), received, missing);
    }

    /**
     * Completes an upload: {@code POST /{id}/complete} without a body (no whole-file hash).
     *
     * @param uploadId the upload
     * @return the parsed answer
     * @throws IOException if the request fails or the answer is not {@code 200}
     */
    public Completed complete(String uploadId) throws IOException {
        return complete(uploadId, null);
    }

    /**
     * Completes an upload, with the whole file's SHA-256 for the server to verify when it is given.
     *
     * @param uploadId the upload
     * @param sha256 the file's SHA-256 in hex, or null for none
     * @return the parsed answer
     * @throws IOException if the request fails or the answer is not {@code 200}
     */
    public Completed complete(String uploadId, String sha256) throws IOException {
        if (sha256 == null) {
            http.exchange("POST", mountPath + "/" + uploadId + "/complete", "Content-Length: 0\r\n");
        } else {
            byte[] body = ("{\"hash\":\"" + sha256 + "\"}").getBytes(StandardCharsets.US_ASCII);
            http.exchange(
                    "POST",
                    mountPath + "/" + uploadId + "/complete",
                    "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n",
                    ByteBuffer.wrap(body));
        }
        expect(200, "POST complete of " + uploadId);
        JsonNode answer = parsedBody();
        JsonNode location = answer.path("location");
        Map<String, String> attributes = new LinkedHashMap<>();
        location.properties().forEach(e -> {
            if (!e.getKey().equals("type")) {
                attributes.put(e.getKey(), e.getValue().asText());
            }
        });
        return new Completed(
                answer.path("status").asText(""),
                answer.path("fileSize").asLong(-1),
                location.path("type").asText(""),
                attributes);
    }

    /**
     * Aborts an upload: {@code DELETE /{id}}.
     *
     * @param uploadId the upload
     * @return whether the server answered {@code 204}
     * @throws IOException if the request fails
     */
    public boolean delete(String uploadId) throws IOException {
        return http.exchange("DELETE", mountPath + "/" + uploadId, "Content-Length: 0\r\n") == 204;
    }

    /** Closes the connection, if one is open. */
    @Override
    public void close() {
        http.close();
    }

    // ------------------------------------------------------------------------------------------------ bodies

    private void expect(int expected, String what) throws IOException {
        if (http.status() != expected) {
            throw new IOException(what + " answered " + http.status() + " (expected " + expected + "): " + text());
        }
    }

    private JsonNode parsedBody() throws IOException {
        return JSON.readTree(http.body(), 0, http.bodyLength());
    }

    private String text() {
        return http.text();
    }

    /** Returns the position of {@code needle} in the body at or after {@code from}, or -1. */
    private int find(byte[] needle, int from) {
        byte[] body = http.body();
        int bodyLength = http.bodyLength();
        outer:
        for (int i = from; i + needle.length <= bodyLength; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads the unsigned decimal integer at {@code at}; -1 if there is none. */
    private long readInt(int at) {
        byte[] body = http.body();
        int bodyLength = http.bodyLength();
        long value = -1;
        for (int i = at; i < bodyLength && body[i] >= '0' && body[i] <= '9'; i++) {
            value = (value < 0 ? 0 : value * 10) + (body[i] - '0');
        }
        return value;
    }

    /** Counts the elements of the flat JSON number array that follows {@code key}; -1 if the key is absent. */
    private int countArray(byte[] key) {
        int at = find(key, 0);
        if (at < 0) {
            return -1;
        }
        byte[] body = http.body();
        int bodyLength = http.bodyLength();
        int count = 0;
        boolean inElement = false;
        for (int i = at + key.length; i < bodyLength; i++) {
            byte b = body[i];
            if (b == ']') {
                return count + (inElement ? 1 : 0);
            }
            if (b == ',') {
                count++;
                inElement = false;
            } else if (b != ' ') {
                inElement = true;
            }
        }
        return -1;
    }
}
