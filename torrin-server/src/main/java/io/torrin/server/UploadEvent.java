/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Something that happened to an upload, delivered to {@link UploadListener}s after the fact. Immutable; it carries
 * the caller's principal and protocol but never the request's headers (they may hold credentials).
 *
 * @param type what happened, not null
 * @param session the upload as it was right after the event, not null
 * @param chunkIndex the chunk, for {@link Type#CHUNK_RECEIVED} and for a {@link Type#PROGRESS} of a chunk
 * @param location where the file is, for {@link Type#COMPLETED}
 * @param principal the authenticated caller of the request that caused the event, if there was one (never for
 *     {@link Type#EXPIRED}, which the sweeper causes)
 * @param protocol the protocol of that request ({@code torrin}, {@code tus}); empty for direct Java calls and
 *     the sweeper
 * @param bytes for {@link Type#PROGRESS}: for an append, the upload's offset reached so far; for a chunk, how many
 *     of its bytes have arrived so far. Empty for the other types
 */
public record UploadEvent(
        Type type,
        UploadSession session,
        OptionalInt chunkIndex,
        Optional<StorageLocation> location,
        Optional<Principal> principal,
        Optional<String> protocol,
        OptionalLong bytes) {

    /**
     * Validates the components.
     *
     * @param type what happened, not null
     * @param session the upload as it was right after the event, not null
     * @param chunkIndex the chunk, for {@link Type#CHUNK_RECEIVED} and chunk progress
     * @param location where the file is, for {@link Type#COMPLETED}
     * @param principal the caller of the request that caused the event, if any
     * @param protocol that request's protocol, if it came by HTTP
     * @param bytes the progress, for {@link Type#PROGRESS}
     * @throws NullPointerException if a component is null
     */
    public UploadEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(chunkIndex, "chunkIndex");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * An event without a caller and without progress bytes.
     *
     * @param type what happened, not null
     * @param session the upload as it was right after the event, not null
     * @param chunkIndex the chunk, for {@link Type#CHUNK_RECEIVED}
     * @param location where the file is, for {@link Type#COMPLETED}
     * @throws NullPointerException if an argument is null
     */
    public UploadEvent(Type type, UploadSession session, OptionalInt chunkIndex, Optional<StorageLocation> location) {
        this(type, session, chunkIndex, location, Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    /** The kinds of events. */
    public enum Type {
        /** An upload was created. */
        CREATED,
        /**
         * Bytes are arriving: published while a chunk or append body streams in, at most once per upload per
         * {@link UploadServiceBuilder#progressInterval(java.time.Duration) progress interval}, the first one an
         * interval after the upload's first bytes arrived (so a body that arrives within one interval raises
         * none). Bytes reported may still be rejected (a hash mismatch, a broken connection); only
         * {@link #CHUNK_RECEIVED} and the upload's status are facts.
         */
        PROGRESS,
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
