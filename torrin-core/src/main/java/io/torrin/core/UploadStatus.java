/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.List;
import java.util.Objects;

/**
 * The state of an upload as {@code getStatus} reports it: the session and which chunks are stored.
 * Immutable and thread-safe.
 *
 * @param session the session snapshot, not null
 * @param chunks the stored chunks, not null
 */
public record UploadStatus(UploadSession session, ChunkSet chunks) {

    /**
     * Validates the components.
     *
     * @param session the session snapshot, not null
     * @param chunks the stored chunks, not null
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the chunk set does not fit the session
     */
    public UploadStatus {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(chunks, "chunks");
        if (chunks.total() != session.totalChunks()) {
            throw new IllegalArgumentException("chunk set total " + chunks.total() + " != " + session.totalChunks());
        }
    }

    /**
     * Returns the upload id.
     *
     * @return the id, never null
     */
    public String uploadId() {
        return session.uploadId();
    }

    /**
     * Returns the upload's state.
     *
     * @return the state, never null
     */
    public UploadState state() {
        return session.state();
    }

    /**
     * Returns the indices of the stored chunks, ascending.
     *
     * @return an unmodifiable list
     */
    public List<Integer> receivedChunks() {
        return chunks.received();
    }

    /**
     * Returns the indices of the chunks still to send, ascending.
     *
     * @return an unmodifiable list
     */
    public List<Integer> missingChunks() {
        return chunks.missing();
    }
}
