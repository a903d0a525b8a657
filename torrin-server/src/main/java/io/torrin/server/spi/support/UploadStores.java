/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Rules every {@link UploadStore} applies the same way, so that implementations agree: which errors a mark on a
 * missing or finished upload raises, and how a mark changes the session.
 */
public final class UploadStores {

    private UploadStores() {}

    /**
     * Returns the error for an upload id the store does not know.
     *
     * @param uploadId the id, not null
     * @return a {@code UPLOAD_NOT_FOUND} exception
     */
    public static TorrinException notFound(String uploadId) {
        return new TorrinException(ErrorCode.UPLOAD_NOT_FOUND, "upload not found", Map.of("uploadId", uploadId));
    }

    /**
     * Checks that chunks may still be added to an upload.
     *
     * @param session the session, not null
     * @throws TorrinException with {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} (or
     *     {@code INVALID_REQUEST} for {@code FAILED}) if the upload is not active
     */
    public static void requireActive(UploadSession session) {
        requireActive(session.uploadId(), session.state());
    }

    /**
     * Checks that chunks may still be added to an upload in a state.
     *
     * @param uploadId the upload id, not null
     * @param state its state, not null
     * @throws TorrinException with {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} (or
     *     {@code INVALID_REQUEST} for {@code FAILED}) if the upload is not active
     */
    public static void requireActive(String uploadId, UploadState state) {
        switch (state) {
            case PENDING, IN_PROGRESS -> {}
            case COMPLETED ->
                throw new TorrinException(
                        ErrorCode.UPLOAD_ALREADY_COMPLETED,
                        "upload is already completed",
                        Map.of("uploadId", uploadId));
            case CANCELED ->
                throw new TorrinException(
                        ErrorCode.UPLOAD_CANCELED, "upload was canceled", Map.of("uploadId", uploadId));
            case FAILED ->
                throw new TorrinException(ErrorCode.INVALID_REQUEST, "upload has failed", Map.of("uploadId", uploadId));
        }
    }

    /**
     * Builds a record from its stored parts: the session document, with the state, expiry, chunks and location
     * kept apart by stores that update those fields separately.
     *
     * @param document the session as written by {@link UploadRecordCodec#encode(UploadRecord)}
     * @param state the current state
     * @param expiresAt the current expiry
     * @param chunks the received chunks
     * @param location the location, if any
     * @return the record
     * @throws IOException if the document is not a valid record
     */
    public static UploadRecord assemble(
            byte[] document, UploadState state, Instant expiresAt, ChunkSet chunks, Optional<StorageLocation> location)
            throws IOException {
        UploadRecord stored = UploadRecordCodec.decode(document, Optional.of(chunks));
        return stored.withTransition(stored.session().withState(state, expiresAt), location);
    }

    /**
     * Computes the outcome of {@link UploadStore#markChunkReceived} on a stored record, for stores that apply it
     * under their own lock or transaction.
     *
     * @param record the stored record, not null
     * @param index the chunk index
     * @param expiresAt the expiry the activity earns, not null
     * @return the changed record, or empty if the chunk was marked already
     * @throws TorrinException if the upload is not active
     * @throws IllegalArgumentException if the upload is an append upload or the index is out of range
     */
    public static Optional<UploadRecord> mark(UploadRecord record, int index, Instant expiresAt) {
        if (!(record.progress() instanceof UploadProgress.Chunks chunks)) {
            throw new IllegalArgumentException("upload " + record.uploadId() + " is an append upload");
        }
        requireActive(record.session());
        ChunkSet marked = chunks.received().with(index);
        if (marked == chunks.received()) {
            return Optional.empty();
        }
        return Optional.of(
                record.withProgress(afterMark(record.session(), expiresAt), new UploadProgress.Chunks(marked)));
    }

    /**
     * Computes the outcome of {@link UploadStore#advanceOffset} on a stored record, for stores that apply it
     * under their own lock or transaction. The arguments were checked by {@link AbstractUploadStore}.
     *
     * @param record the stored record, not null
     * @param expectedOffset the offset the caller read
     * @param newOffset the new offset
     * @param fileSize the declared size, or empty
     * @param expiresAt the expiry the activity earns, not null
     * @return the changed record, or empty if the stored offset is not {@code expectedOffset}
     * @throws TorrinException if the upload is not active
     * @throws IllegalArgumentException as {@link UploadStore#advanceOffset} describes
     */
    public static Optional<UploadRecord> advance(
            UploadRecord record, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        if (!(record.progress() instanceof UploadProgress.Offset offset)) {
            throw new IllegalArgumentException("upload " + record.uploadId() + " is not an append upload");
        }
        requireActive(record.session());
        if (offset.bytes() != expectedOffset) {
            return Optional.empty();
        }
        UploadSession session = record.session();
        if (fileSize.isPresent()) {
            if (session.fileSize().isPresent() && session.fileSize().getAsLong() != fileSize.getAsLong()) {
                throw new IllegalArgumentException("the size of upload " + record.uploadId() + " is already "
                        + session.fileSize().getAsLong());
            }
            session = session.withFileSize(fileSize.getAsLong());
        }
        if (session.fileSize().isPresent() && newOffset > session.fileSize().getAsLong()) {
            throw new IllegalArgumentException(
                    "offset " + newOffset + " > size " + session.fileSize().getAsLong());
        }
        return Optional.of(record.withProgress(afterMark(session, expiresAt), new UploadProgress.Offset(newOffset)));
    }

    /**
     * Returns the chunk bitmap a store keeps in a field of its own: the received chunks of a chunked upload, the
     * empty set for an append upload (whose progress is its offset, kept in the record document).
     *
     * @param record the record, not null
     * @return the chunks to store
     */
    public static ChunkSet chunkBitmap(UploadRecord record) {
        return record.progress() instanceof UploadProgress.Chunks chunks
                ? chunks.received()
                : ChunkSet.empty(record.session().totalChunks());
    }

    /**
     * Returns the session as it is after a chunk was marked: {@code IN_PROGRESS}, expiry raised to
     * {@code expiresAt} if that is later.
     *
     * @param session the active session, not null
     * @param expiresAt the expiry the activity earns, not null
     * @return the changed session, or {@code session} itself if nothing changes
     */
    public static UploadSession afterMark(UploadSession session, Instant expiresAt) {
        Instant expiry = expiresAt.isAfter(session.expiresAt()) ? expiresAt : session.expiresAt();
        if (session.state() == UploadState.IN_PROGRESS && expiry.equals(session.expiresAt())) {
            return session;
        }
        return session.withState(UploadState.IN_PROGRESS, expiry);
    }
}
