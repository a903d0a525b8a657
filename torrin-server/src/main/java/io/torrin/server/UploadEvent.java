/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something that happened to an upload, delivered to {@link UploadListener}s after the fact.
 *
 * @param type what happened, not null
 * @param session the upload as it was right after the event, not null
 * @param chunkIndex the chunk, for {@link Type#CHUNK_RECEIVED}
 * @param location where the file is, for {@link Type#COMPLETED}
 */
public record UploadEvent(
        Type type, UploadSession session, OptionalInt chunkIndex, Optional<StorageLocation> location) {

    /**
     * Validates the components.
     *
     * @param type what happened, not null
     * @param session the upload as it was right after the event, not null
     * @param chunkIndex the chunk, for {@link Type#CHUNK_RECEIVED}
     * @param location where the file is, for {@link Type#COMPLETED}
     * @throws NullPointerException if a component is null
     */
    public UploadEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(chunkIndex, "chunkIndex");
        Objects.requireNonNull(location, "location");
    }

    /** The kinds of events. */
    public enum Type {
        /** An upload was created. */
        CREATED,
        /** A chunk was stored for the first time (idempotent re-sends raise no event). */
        CHUNK_RECEIVED,
        /** An upload was completed. */
        COMPLETED,
        /** A client aborted an upload. */
        ABORTED,
        /** The expiry sweep removed an unfinished upload. */
        EXPIRED
    }
}
