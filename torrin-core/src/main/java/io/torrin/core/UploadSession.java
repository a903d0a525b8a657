/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one upload as the service negotiated it: the file's description, the final chunk size and
 * count, its state and its expiry. Immutable and thread-safe.
 *
 * <p>Every chunk but the last has exactly {@link #chunkSize()} bytes; the last has the remainder, see
 * {@link #expectedChunkSize(int)}.
 *
 * <p>Uploads made through the Torrin protocol always have a size of at least one byte. Append uploads (the
 * offset-based tus protocol) may also be empty ({@code fileSize} 0, no chunks) or not sized yet (an empty
 * {@code fileSize}, no chunks until the client declares the size).
 *
 * @param uploadId the upload id (URL-safe, at least 128 random bits), not null
 * @param fileName the client's file name, if it gave one
 * @param fileSize the file size in bytes, at least 0; empty while an append upload has not declared it
 * @param mimeType the MIME type, not null ({@code application/octet-stream} unless the client said otherwise)
 * @param metadata the client's metadata after hooks, not null; copied into an unmodifiable map that keeps its order
 * @param chunkSize the negotiated chunk size in bytes, at least 1
 * @param totalChunks {@code ceil(fileSize / chunkSize)}; 0 for an empty or unsized upload
 * @param state the state at the time of the snapshot, not null
 * @param createdAt when the upload was created, not null
 * @param expiresAt when the upload expires unless activity extends it, not null
 */
public record UploadSession(
        String uploadId,
        Optional<String> fileName,
        OptionalLong fileSize,
        String mimeType,
        Map<String, String> metadata,
        long chunkSize,
        int totalChunks,
        UploadState state,
        Instant createdAt,
        Instant expiresAt) {

    /**
     * Validates and copies the components.
     *
     * @param uploadId the upload id (URL-safe, at least 128 random bits), not null
     * @param fileName the client's file name, if it gave one
     * @param fileSize the file size in bytes, at least 0; empty while an append upload has not declared it
     * @param mimeType the MIME type, not null ({@code application/octet-stream} unless the client said otherwise)
     * @param metadata the client's metadata after hooks, not null; copied into an unmodifiable map that keeps its order
     * @param chunkSize the negotiated chunk size in bytes, at least 1
     * @param totalChunks {@code ceil(fileSize / chunkSize)}; 0 for an empty or unsized upload
     * @param state the state at the time of the snapshot, not null
     * @param createdAt when the upload was created, not null
     * @param expiresAt when the upload expires unless activity extends it, not null
     * @throws NullPointerException if a reference component is null
     * @throws IllegalArgumentException if sizes and chunk count do not agree
     */
    public UploadSession {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(fileSize, "fileSize");
        Objects.requireNonNull(mimeType, "mimeType");
        metadata = orderedCopy(metadata);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (fileSize.orElse(0) < 0 || chunkSize < 1) {
            throw new IllegalArgumentException("fileSize must not be negative and chunkSize must be positive");
        }
        if (totalChunks != chunkCount(fileSize, chunkSize)) {
            throw new IllegalArgumentException(
                    "totalChunks " + totalChunks + " != ceil(" + fileSize.orElse(0) + " / " + chunkSize + ")");
        }
    }

    /**
     * Copies a string map, keeping its iteration order and refusing null keys and values.
     *
     * @param map the map, not null
     * @return an unmodifiable ordered copy
     * @throws NullPointerException if the map, a key or a value is null
     */
    static Map<String, String> orderedCopy(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((key, value) ->
                copy.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value")));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Computes {@code ceil(fileSize / chunkSize)}, 0 for an empty or unsized file.
     *
     * @param fileSize the file size, at least 0, or empty if not known yet
     * @param chunkSize the chunk size, at least 1
     * @return the number of chunks
     * @throws ArithmeticException if the count does not fit an int
     */
    public static int chunkCount(OptionalLong fileSize, long chunkSize) {
        long size = fileSize.orElse(0);
        return size <= 0 ? 0 : Math.toIntExact((size + chunkSize - 1) / chunkSize);
    }

    /**
     * Returns the byte offset of a chunk in the file.
     *
     * @param index a chunk index {@code 0 ≤ index < totalChunks}
     * @return {@code index × chunkSize}
     */
    public long offsetOf(int index) {
        return index * chunkSize;
    }

    /**
     * Returns the exact byte count a chunk must have: {@link #chunkSize()} for all but the last, the remainder
     * for the last.
     *
     * @param index a chunk index {@code 0 ≤ index < totalChunks}
     * @return the expected size in bytes
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public long expectedChunkSize(int index) {
        Objects.checkIndex(index, totalChunks);
        return index < totalChunks - 1 ? chunkSize : fileSize.getAsLong() - offsetOf(index);
    }

    /**
     * Returns the size of an upload whose size is known: every Torrin protocol upload, an append upload once
     * declared.
     *
     * @return the size in bytes
     * @throws IllegalStateException if the size is not known yet
     */
    public long knownFileSize() {
        if (fileSize.isEmpty()) {
            throw new IllegalStateException("the size of upload " + uploadId + " is not declared yet");
        }
        return fileSize.getAsLong();
    }

    /**
     * Returns a copy with a declared size (and the chunk count that goes with it).
     *
     * @param newFileSize the size, at least 0
     * @return the copy
     * @throws IllegalArgumentException if the size is negative
     */
    public UploadSession withFileSize(long newFileSize) {
        if (newFileSize < 0) {
            throw new IllegalArgumentException("file size must not be negative: " + newFileSize);
        }
        OptionalLong size = OptionalLong.of(newFileSize);
        return new UploadSession(
                uploadId,
                fileName,
                size,
                mimeType,
                metadata,
                chunkSize,
                chunkCount(size, chunkSize),
                state,
                createdAt,
                expiresAt);
    }

    /**
     * Returns a copy in another state with another expiry.
     *
     * @param newState the state, not null
     * @param newExpiresAt the expiry, not null
     * @return the copy
     */
    public UploadSession withState(UploadState newState, Instant newExpiresAt) {
        return new UploadSession(
                uploadId,
                fileName,
                fileSize,
                mimeType,
                metadata,
                chunkSize,
                totalChunks,
                newState,
                createdAt,
                newExpiresAt);
    }
}
