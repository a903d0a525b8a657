/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Objects;

/**
 * The answer to an accepted chunk.
 *
 * @param uploadId the upload id, not null
 * @param receivedIndex the index of the chunk that is now stored
 * @param state the upload's state after the chunk, not null (always {@link UploadState#IN_PROGRESS})
 * @param alreadyReceived {@code true} if the chunk had been stored before and this was an idempotent re-send
 *     (its bytes were verified and discarded, the stored ones kept)
 */
public record ChunkResult(String uploadId, int receivedIndex, UploadState state, boolean alreadyReceived) {

    /**
     * Validates the components.
     *
     * @param uploadId the upload id, not null
     * @param receivedIndex the index of the chunk that is now stored
     * @param state the upload's state after the chunk, not null (always {@link UploadState#IN_PROGRESS})
     * @param alreadyReceived {@code true} if the chunk had been stored before and this was an idempotent re-send
     *     (its bytes were verified and discarded, the stored ones kept)
     * @throws NullPointerException if a component is null
     */
    public ChunkResult {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(state, "state");
    }
}
