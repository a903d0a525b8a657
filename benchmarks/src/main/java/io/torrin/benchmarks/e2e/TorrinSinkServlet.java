/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP limit of the end-to-end benchmark: a servlet that answers the Torrin wire protocol's routes just well
 * enough for {@link TorrinClient} and keeps nothing but a bit set per upload. Chunk bodies are read (blocking, 64 KiB
 * at a time), counted and thrown away; a chunk of the wrong size is refused, and {@code complete} refuses an upload
 * with missing chunks, so the benchmark's client cannot pass here by skipping work. Its answers have the same shape as
 * Torrin's (status lists included), so its numbers are what container, loopback and client allow on this machine.
 */
final class TorrinSinkServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Map<String, SinkUpload> uploads = new ConcurrentHashMap<>();

    /** One upload: its geometry and which chunks arrived. */
    private static final class SinkUpload {
        final long size;
        final long chunkSize;
        final int chunks;
        final BitSet received;

        SinkUpload(long size, long chunkSize) {
            this.size = size;
            this.chunkSize = chunkSize;
            this.chunks = (int) ((size + chunkSize - 1) / chunkSize);
            this.received = new BitSet(chunks);
        }

        long expected(int index) {
            return Math.min(chunkSize, size - index * chunkSize);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String[] parts = path.substring(1).split("/", -1);
        String method = request.getMethod();
        if (path.equals("/") && method.equals("POST")) {
            create(request, response);
            return;
        }
        SinkUpload upload = uploads.get(parts[0]);
        if (upload == null) {
            drain(request);
            send(response, 404, "{\"error\":{\"code\":\"UPLOAD_NOT_FOUND\",\"message\":\"no such upload\"}}");
            return;
        }
        if (parts.length == 3 && parts[1].equals("chunks") && method.equals("PUT")) {
            chunk(parts[0], upload, Integer.parseInt(parts[2]), request, response);
        } else if (parts.length == 2 && parts[1].equals("status") && method.equals("GET")) {
            status(parts[0], upload, response);
        } else if (parts.length == 2 && parts[1].equals("complete") && method.equals("POST")) {
            drain(request);
            complete(parts[0], upload, response);
        } else if (parts.length == 1 && method.equals("DELETE")) {
            uploads.remove(parts[0]);
            response.setStatus(204);
        } else {
            drain(request);
            send(response, 404, "{\"error\":{\"code\":\"ROUTE_NOT_FOUND\",\"message\":\"no such route\"}}");
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            body = JSON.readTree(in);
        }
        long size = body.path("fileSize").asLong();
        long chunkSize = body.path("desiredChunkSize").asLong(1024 * 1024);
        if (size < 1 || chunkSize < 1) {
            send(response, 400, "{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"fileSize\"}}");
            return;
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        SinkUpload upload = new SinkUpload(size, chunkSize);
        uploads.put(id, upload);
        response.setHeader("Location", request.getRequestURL().toString().replaceAll("/+$", "") + "/" + id);
        send(
                response,
                201,
                "{\"uploadId\":\"" + id + "\",\"fileName\":null,\"fileSize\":" + size + ",\"chunkSize\":" + chunkSize
                        + ",\"totalChunks\":" + upload.chunks + ",\"status\":\"pending\"}");
    }

    private void chunk(
            String id, SinkUpload upload, int index, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        long count = drain(request);
        if (index < 0 || index >= upload.chunks || count != upload.expected(index)) {
            send(
                    response,
                    400,
                    "{\"error\":{\"code\":\"CHUNK_SIZE_MISMATCH\",\"message\":\"chunk " + index + ": " + count
                            + " bytes\"}}");
            return;
        }
        synchronized (upload) {
            upload.received.set(index);
        }
        send(response, 200, "{\"uploadId\":\"" + id + "\",\"receivedIndex\":" + index + ",\"status\":\"in_progress\"}");
    }

    private void status(String id, SinkUpload upload, HttpServletResponse response) throws IOException {
        StringBuilder received = new StringBuilder();
        StringBuilder missing = new StringBuilder();
        synchronized (upload) {
            for (int i = 0; i < upload.chunks; i++) {
                StringBuilder list = upload.received.get(i) ? received : missing;
                list.append(list.isEmpty() ? "" : ",").append(i);
            }
        }
        send(
                response,
                200,
                "{\"uploadId\":\"" + id + "\",\"status\":\"in_progress\",\"fileName\":null,\"fileSize\":"
                        + upload.size + ",\"chunkSize\":" + upload.chunkSize + ",\"totalChunks\":" + upload.chunks
                        + ",\"receivedChunks\":[" + received + "],\"missingChunks\":[" + missing + "]}");
    }

    private void complete(String id, SinkUpload upload, HttpServletResponse response) throws IOException {
        int received;
        synchronized (upload) {
            received = upload.received.cardinality();
        }
        if (received != upload.chunks) {
            send(
                    response,
                    400,
                    "{\"error\":{\"code\":\"MISSING_CHUNKS\",\"message\":\"" + (upload.chunks - received)
                            + " chunks missing\"}}");
            return;
        }
        uploads.remove(id);
        send(
                response,
                200,
                "{\"uploadId\":\"" + id + "\",\"status\":\"completed\",\"fileName\":null,\"fileSize\":" + upload.size
                        + ",\"location\":{\"type\":\"none\"},\"metadata\":{}}");
    }

    /** Reads the request body to its end and returns its length. */
    private static long drain(HttpServletRequest request) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                count += n;
            }
        }
        return count;
    }

    private static void send(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
