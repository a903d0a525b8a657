package io.torrin.server.spi.support;

import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rules every {@link UploadStore} applies the same way, so that implementations agree: which errors a mark on a
 * missing or finished upload raises, and how a mark changes the session.
 */
public final class UploadStores {

    private UploadStores() {
    }

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
            case PENDING, IN_PROGRESS -> {
            }
            case COMPLETED -> throw new TorrinException(ErrorCode.UPLOAD_ALREADY_COMPLETED,
                    "upload is already completed", Map.of("uploadId", uploadId));
            case CANCELED -> throw new TorrinException(ErrorCode.UPLOAD_CANCELED,
                    "upload was canceled", Map.of("uploadId", uploadId));
            case FAILED -> throw new TorrinException(ErrorCode.INVALID_REQUEST,
                    "upload has failed", Map.of("uploadId", uploadId));
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
     * @throws java.io.IOException if the document is not a valid record
     */
    public static UploadRecord assemble(byte[] document, UploadState state, Instant expiresAt, ChunkSet chunks,
            Optional<StorageLocation> location) throws java.io.IOException {
        UploadRecord stored = UploadRecordCodec.decode(document, chunks);
        return stored.withTransition(stored.session().withState(state, expiresAt), location);
    }

    /**
     * Computes the outcome of {@link UploadStore#advanceOffset} on a stored record, for stores that apply it
     * under their own lock or transaction.
     *
     * @param record the stored record, not null
     * @param expectedOffset the offset the caller read
     * @param newOffset the new offset
     * @param fileSize the declared size, or {@code UploadSession.UNKNOWN_SIZE}
     * @param expiresAt the expiry the activity earns, not null
     * @return the changed record, or empty if the stored offset is not {@code expectedOffset}
     * @throws TorrinException if the upload is not active
     * @throws IllegalArgumentException as {@link UploadStore#advanceOffset} describes
     */
    public static Optional<UploadRecord> advance(UploadRecord record, long expectedOffset, long newOffset,
            long fileSize, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!record.isAppend()) {
            throw new IllegalArgumentException("upload " + record.uploadId() + " is not an append upload");
        }
        if (newOffset < expectedOffset || expectedOffset < 0) {
            throw new IllegalArgumentException("offsets out of order: " + expectedOffset + " -> " + newOffset);
        }
        requireActive(record.session());
        if (record.appendOffset() != expectedOffset) {
            return Optional.empty();
        }
        UploadSession session = record.session();
        if (fileSize != UploadSession.UNKNOWN_SIZE) {
            if (session.isSizeKnown() && session.fileSize() != fileSize) {
                throw new IllegalArgumentException("the size of upload " + record.uploadId() + " is already "
                        + session.fileSize());
            }
            session = session.withFileSize(fileSize);
        }
        if (session.isSizeKnown() && newOffset > session.fileSize()) {
            throw new IllegalArgumentException("offset " + newOffset + " > size " + session.fileSize());
        }
        return Optional.of(record.withAppendOffset(afterMark(session, expiresAt), newOffset));
    }

    /**
     * Checks the arguments of {@link UploadStore#transition}.
     *
     * @param expected the expected state
     * @param next the new state
     * @param expiresAt the new expiry
     * @param location the location to save, or empty
     * @throws NullPointerException if one is null
     */
    public static void checkTransition(UploadState expected, UploadState next, Instant expiresAt,
            Optional<StorageLocation> location) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(location, "location");
    }

    /**
     * Checks the arguments of {@link UploadStore#findExpired}.
     *
     * @param now the reference time
     * @param limit the most records to return
     * @throws NullPointerException if {@code now} is null
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public static void checkFindExpired(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
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
