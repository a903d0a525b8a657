/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a store keeps about one upload: the session, the storage driver's private state, the progress and,
 * once completed, the location; for append uploads also the protocol's attributes. Immutable and thread-safe.
 *
 * <p>The progress tells the two upload models apart: a chunked upload (the Torrin protocol) records a
 * {@link UploadProgress.Chunks} set whose total is the session's {@code totalChunks}; an append upload (tus)
 * records an {@link UploadProgress.Offset} that never passes the size. Received chunks of an append upload are
 * derived from its offset, see {@link #receivedChunks()}.
 *
 * @param session the session, not null
 * @param storageState the storage driver's state for this upload (for example a staging name or an S3 upload
 *     id), not null; copied into an unmodifiable map
 * @param progress the chunks or the offset stored so far, not null
 * @param location where the completed file is, present once completed
 * @param attributes protocol facts fixed at creation (tus concatenation, the JSON types of Torrin protocol
 *     metadata), not null; copied into an unmodifiable map
 */
public record UploadRecord(
        UploadSession session,
        Map<String, String> storageState,
        UploadProgress progress,
        Optional<StorageLocation> location,
        Map<String, String> attributes) {

    /**
     * Validates and copies the components.
     *
     * @param session the session, not null
     * @param storageState the storage driver's state for this upload (for example a staging name or an S3 upload
     *     id), not null; copied into an unmodifiable map
     * @param progress the chunks or the offset stored so far, not null
     * @param location where the completed file is, present once completed
     * @param attributes protocol facts fixed at creation (for example tus concatenation), not null; copied into an
     *     unmodifiable map; always empty for chunked uploads
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the progress does not fit the session
     */
    public UploadRecord {
        Objects.requireNonNull(session, "session");
        storageState = Map.copyOf(storageState);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(location, "location");
        attributes = Map.copyOf(attributes);
        if (progress instanceof UploadProgress.Chunks chunks) {
            if (chunks.received().total() != session.totalChunks()) {
                throw new IllegalArgumentException(
                        "chunk set total " + chunks.received().total() + " != " + session.totalChunks());
            }
        } else if (progress instanceof UploadProgress.Offset offset
                && session.fileSize().isPresent()
                && offset.bytes() > session.fileSize().getAsLong()) {
            throw new IllegalArgumentException("offset " + offset.bytes() + " > file size "
                    + session.fileSize().getAsLong());
        }
    }

    /**
     * Creates the record of a new chunked upload: no chunks received, no location.
     *
     * @param session the session, not null; its size is known
     * @param storageState the driver's state, not null
     * @return the record
     */
    public static UploadRecord created(UploadSession session, Map<String, String> storageState) {
        return created(session, storageState, Map.of());
    }

    /**
     * Creates the record of a new chunked upload with protocol attributes: no chunks received, no location.
     *
     * @param session the session, not null; its size is known
     * @param storageState the driver's state, not null
     * @param attributes the protocol's attributes, not null
     * @return the record
     */
    public static UploadRecord created(
            UploadSession session, Map<String, String> storageState, Map<String, String> attributes) {
        return new UploadRecord(
                session,
                storageState,
                new UploadProgress.Chunks(ChunkSet.empty(session.totalChunks())),
                Optional.empty(),
                attributes);
    }

    /**
     * Creates the record of a new append upload: offset 0, no location.
     *
     * @param session the session, not null; its size may be unknown
     * @param storageState the driver's state, not null
     * @param attributes the protocol's attributes, not null
     * @return the record
     */
    public static UploadRecord createdForAppend(
            UploadSession session, Map<String, String> storageState, Map<String, String> attributes) {
        return new UploadRecord(session, storageState, new UploadProgress.Offset(0), Optional.empty(), attributes);
    }

    /**
     * Returns the offset of an append upload.
     *
     * @return the offset, or empty for a chunked upload
     */
    public OptionalLong offset() {
        return progress instanceof UploadProgress.Offset offset
                ? OptionalLong.of(offset.bytes())
                : OptionalLong.empty();
    }

    /**
     * Returns the stored chunks: the chunk set of a chunked upload; for an append upload, the chunks that lie
     * wholly below the offset (the last one once the offset reaches the size).
     *
     * @return the chunks, sized to the session's {@code totalChunks}
     */
    public ChunkSet receivedChunks() {
        if (progress instanceof UploadProgress.Chunks chunks) {
            return chunks.received();
        }
        int full = appendedChunks();
        int[] indices = new int[full];
        for (int i = 0; i < full; i++) {
            indices[i] = i;
        }
        return ChunkSet.of(session.totalChunks(), indices);
    }

    /**
     * Returns how many chunks of an append upload lie wholly below its offset (all of them once the offset
     * reaches the size); 0 for a chunked upload.
     *
     * @return the count
     */
    public int appendedChunks() {
        if (!(progress instanceof UploadProgress.Offset offset)) {
            return 0;
        }
        int total = session.totalChunks();
        OptionalLong size = session.fileSize();
        return size.isPresent() && offset.bytes() >= size.getAsLong()
                ? total
                : (int) Math.min(total, offset.bytes() / session.chunkSize());
    }

    /**
     * Returns a copy with another session (state, expiry or size), keeping everything else.
     *
     * @param newSession the session, not null
     * @return the copy
     */
    public UploadRecord withSession(UploadSession newSession) {
        return new UploadRecord(newSession, storageState, progress, location, attributes);
    }

    /**
     * Returns a copy with another session and progress, keeping everything else.
     *
     * @param newSession the session, not null
     * @param newProgress the progress, not null; of the same model as this record's
     * @return the copy
     * @throws IllegalArgumentException if the progress is of the other model
     */
    public UploadRecord withProgress(UploadSession newSession, UploadProgress newProgress) {
        if (newProgress.getClass() != progress.getClass()) {
            throw new IllegalArgumentException("upload " + uploadId() + " cannot change its model");
        }
        return new UploadRecord(newSession, storageState, newProgress, location, attributes);
    }

    /**
     * Returns a copy with another session and, if present, another location.
     *
     * @param newSession the session, not null
     * @param newLocation the location to set, or empty to keep the current one
     * @return the copy
     */
    public UploadRecord withTransition(UploadSession newSession, Optional<StorageLocation> newLocation) {
        return new UploadRecord(
                newSession, storageState, progress, newLocation.isPresent() ? newLocation : location, attributes);
    }

    /**
     * Returns the view of this upload that storage drivers get.
     *
     * @return the session and the driver's state
     */
    public StorageUpload storageUpload() {
        return new StorageUpload(session, storageState);
    }

    /**
     * Returns the upload id.
     *
     * @return the id, never null
     */
    public String uploadId() {
        return session.uploadId();
    }
}
