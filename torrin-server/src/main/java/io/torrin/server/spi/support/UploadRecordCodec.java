/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Writes an {@link UploadRecord} without its chunk bitmap as a small, versioned JSON document and reads it back;
 * for stores that keep sessions as text and the bitmap separately. Thread-safe.
 */
public final class UploadRecordCodec {

    private static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UploadRecordCodec() {}

    /**
     * Encodes everything but the chunk bitmap.
     *
     * @param record the record, not null
     * @return UTF-8 JSON
     */
    public static byte[] encode(UploadRecord record) {
        UploadSession s = record.session();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("uploadId", s.uploadId());
        root.put("fileName", s.fileName().orElse(null));
        if (s.fileSize().isPresent()) {
            root.put("fileSize", s.fileSize().getAsLong());
        } else {
            root.put("fileSize", -1);
        }
        root.put("mimeType", s.mimeType());
        root.set("metadata", MAPPER.valueToTree(s.metadata()));
        root.put("chunkSize", s.chunkSize());
        root.put("totalChunks", s.totalChunks());
        root.put("state", s.state().wireName());
        root.put("createdAt", s.createdAt().toString());
        root.put("expiresAt", s.expiresAt().toString());
        root.set("storageState", MAPPER.valueToTree(record.storageState()));
        if (record.progress() instanceof UploadProgress.Offset offset) {
            root.put("appendOffset", offset.bytes());
        }
        if (!record.attributes().isEmpty() || record.progress() instanceof UploadProgress.Offset) {
            root.set("attributes", MAPPER.valueToTree(record.attributes()));
        }
        record.location().ifPresent(location -> {
            ObjectNode node = root.putObject("location");
            node.put("type", location.type());
            node.set("attributes", MAPPER.valueToTree(location.attributes()));
        });
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode upload " + s.uploadId(), e);
        }
    }

    /**
     * Decodes a document written by {@link #encode(UploadRecord)}.
     *
     * @param json the document, not null
     * @param chunks the received chunks to put into a chunked upload's record (ignored for append uploads)
     * @return the record
     * @throws IOException if the document is not a valid upload record
     */
    public static UploadRecord decode(byte[] json, Optional<ChunkSet> chunks) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || root.path("version").asInt() != VERSION) {
            throw new IOException("unsupported upload record version");
        }
        try {
            UploadSession session = new UploadSession(
                    text(root, "uploadId"),
                    Optional.ofNullable(root.path("fileName").textValue()),
                    root.path("fileSize").asLong() < 0
                            ? OptionalLong.empty()
                            : OptionalLong.of(root.path("fileSize").asLong()),
                    text(root, "mimeType"),
                    strings(root.path("metadata")),
                    root.path("chunkSize").asLong(),
                    root.path("totalChunks").asInt(),
                    UploadState.fromWireName(text(root, "state")),
                    Instant.parse(text(root, "createdAt")),
                    Instant.parse(text(root, "expiresAt")));
            JsonNode location = root.path("location");
            Optional<StorageLocation> storageLocation = location.isObject()
                    ? Optional.of(new StorageLocation(text(location, "type"), strings(location.path("attributes"))))
                    : Optional.empty();
            UploadProgress progress = root.path("appendOffset").isIntegralNumber()
                    ? new UploadProgress.Offset(root.path("appendOffset").asLong())
                    : new UploadProgress.Chunks(chunks.orElseGet(() -> ChunkSet.empty(session.totalChunks())));
            return new UploadRecord(
                    session,
                    strings(root.path("storageState")),
                    progress,
                    storageLocation,
                    strings(root.path("attributes")));
        } catch (RuntimeException e) {
            throw new IOException("invalid upload record: " + e.getMessage(), e);
        }
    }

    /**
     * Encodes a storage location as a small JSON document, for stores that keep it in its own field.
     *
     * @param location the location, not null
     * @return {@code {"type": ..., "attributes": {...}}}
     */
    public static String encodeLocation(StorageLocation location) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", location.type());
        node.set("attributes", MAPPER.valueToTree(location.attributes()));
        return node.toString();
    }

    /**
     * Decodes a document written by {@link #encodeLocation(StorageLocation)}.
     *
     * @param json the document, not null
     * @return the location
     * @throws IOException if the document is not a location
     */
    public static StorageLocation decodeLocation(String json) throws IOException {
        JsonNode node = MAPPER.readTree(json);
        return new StorageLocation(text(node, "type"), strings(node.path("attributes")));
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IOException("missing field " + field);
        }
        return value.textValue();
    }

    private static Map<String, String> strings(JsonNode node) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new IOException("expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IOException("expected a string for " + entry.getKey());
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }
}
