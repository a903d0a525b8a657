/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An upload's status as the server reports it ({@code GET /{uploadId}/status}).
 *
 * @param uploadId the upload id, not null
 * @param status the server's status text: {@code pending}, {@code in_progress}, {@code completed} or
 *     {@code canceled}; not null
 * @param fileName the file name, or null
 * @param fileSize the file's size in bytes
 * @param chunkSize the chunk size the server chose
 * @param totalChunks the number of chunks
 * @param receivedChunks the indexes the server has, ascending; not null
 * @param missingChunks the indexes it lacks, ascending; not null
 * @param expiresAt when the server forgets the upload, or null
 */
public record RemoteStatus(
        String uploadId,
        String status,
        String fileName,
        long fileSize,
        long chunkSize,
        int totalChunks,
        List<Integer> receivedChunks,
        List<Integer> missingChunks,
        Instant expiresAt) {

    /**
     * Validates and copies the components.
     *
     * @param uploadId the upload id, not null
     * @param status the server's status text, not null
     * @param fileName the file name, or null
     * @param fileSize the file's size in bytes
     * @param chunkSize the chunk size the server chose
     * @param totalChunks the number of chunks
     * @param receivedChunks the indexes the server has; not null
     * @param missingChunks the indexes it lacks; not null
     * @param expiresAt when the server forgets the upload, or null
     * @throws NullPointerException if a component that must not be null is
     */
    public RemoteStatus {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(status, "status");
        receivedChunks = List.copyOf(receivedChunks);
        missingChunks = List.copyOf(missingChunks);
    }

    /**
     * Tells whether the upload is completed.
     *
     * @return whether the status is {@code completed}
     */
    public boolean isCompleted() {
        return "completed".equals(status);
    }

    /**
     * Tells whether the upload can still take chunks.
     *
     * @return whether the status is {@code pending} or {@code in_progress}
     */
    public boolean isOpen() {
        return "pending".equals(status) || "in_progress".equals(status);
    }
}
