package io.torrin.server.spi;

import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a store keeps about one upload: the session, the storage driver's private state, the received
 * chunks and, once completed, the location; for append uploads (offset-based, as in tus) also the offset and the
 * protocol's attributes. Immutable and thread-safe.
 *
 * <p>A chunked upload (the Torrin protocol) records progress as a set of chunks and has
 * {@code appendOffset == CHUNKED}. An append upload records progress as one offset: every byte below it is
 * durably stored, in order; its chunk set is always the empty set of zero chunks (received chunks are derived
 * from the offset, see {@link #receivedChunks()}).
 *
 * @param session the session, not null
 * @param storageState the storage driver's state for this upload (for example a staging name or an S3 upload
 *     id), not null; copied into an unmodifiable map
 * @param chunks the received chunks, not null; its total equals the session's {@code totalChunks}
 * @param location where the completed file is, present once completed
 * @param appendOffset {@link #CHUNKED} for a chunked upload, else the count of bytes durably stored in order
 * @param attributes protocol facts fixed at creation (for example tus concatenation), not null; copied into an
 *     unmodifiable map
 */
public record UploadRecord(
        UploadSession session, Map<String, String> storageState, ChunkSet chunks, Optional<StorageLocation> location,
        long appendOffset, Map<String, String> attributes) {

    /** The {@code appendOffset} of a chunked (Torrin protocol) upload. */
    public static final long CHUNKED = -1;

    private static final ChunkSet NO_CHUNKS = ChunkSet.empty(0);

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the chunk set does not fit the session
     */
    public UploadRecord {
        Objects.requireNonNull(session, "session");
        storageState = Map.copyOf(storageState);
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(location, "location");
        if (appendOffset < CHUNKED) {
            throw new IllegalArgumentException("appendOffset must be CHUNKED or at least 0: " + appendOffset);
        }
        attributes = Map.copyOf(attributes);
        if (appendOffset == CHUNKED && chunks.total() != session.totalChunks()) {
            throw new IllegalArgumentException("chunk set total " + chunks.total() + " != " + session.totalChunks());
        }
        if (appendOffset != CHUNKED) {
            if (chunks.count() != 0) {
                throw new IllegalArgumentException("an append upload records an offset, not chunks");
            }
            chunks = NO_CHUNKS;
        }
        if (appendOffset != CHUNKED && session.isSizeKnown() && appendOffset > session.fileSize()) {
            throw new IllegalArgumentException("offset " + appendOffset + " > file size " + session.fileSize());
        }
    }

    /**
     * Creates the record of a chunked upload.
     *
     * @param session the session, not null
     * @param storageState the driver's state, not null
     * @param chunks the received chunks, not null
     * @param location the location, not null
     */
    public UploadRecord(UploadSession session, Map<String, String> storageState, ChunkSet chunks,
            Optional<StorageLocation> location) {
        this(session, storageState, chunks, location, CHUNKED, Map.of());
    }

    /**
     * Creates the record of a new upload: no chunks received, no location.
     *
     * @param session the session, not null
     * @param storageState the driver's state, not null
     * @return the record
     */
    public static UploadRecord created(UploadSession session, Map<String, String> storageState) {
        return new UploadRecord(session, storageState, ChunkSet.empty(session.totalChunks()), Optional.empty());
    }

    /**
     * Creates the record of a new append upload: offset 0, no location.
     *
     * @param session the session, not null; its size may be {@link UploadSession#UNKNOWN_SIZE}
     * @param storageState the driver's state, not null
     * @param attributes the protocol's attributes, not null
     * @return the record
     */
    public static UploadRecord createdForAppend(UploadSession session, Map<String, String> storageState,
            Map<String, String> attributes) {
        return new UploadRecord(session, storageState, ChunkSet.empty(0), Optional.empty(), 0, attributes);
    }

    /**
     * Tells whether this is an append (offset-based) upload.
     *
     * @return {@code appendOffset != CHUNKED}
     */
    public boolean isAppend() {
        return appendOffset != CHUNKED;
    }

    /**
     * Returns the stored chunks: the chunk set of a chunked upload; for an append upload, the chunks that lie
     * wholly below the offset (the last one once the offset reaches the size).
     *
     * @return the chunks, sized to the session's {@code totalChunks}
     */
    public ChunkSet receivedChunks() {
        if (!isAppend()) {
            return chunks;
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
        if (!isAppend()) {
            return 0;
        }
        int total = session.totalChunks();
        return session.isSizeKnown() && appendOffset >= session.fileSize() ? total
                : (int) Math.min(total, appendOffset / session.chunkSize());
    }

    /**
     * Returns a copy with another session (state, expiry or size), keeping everything else.
     *
     * @param newSession the session, not null
     * @return the copy
     */
    public UploadRecord withSession(UploadSession newSession) {
        return new UploadRecord(newSession, storageState, chunks, location, appendOffset, attributes);
    }

    /**
     * Returns a copy with another session and chunk set, keeping everything else.
     *
     * @param newSession the session, not null
     * @param newChunks the chunks, not null
     * @return the copy
     */
    public UploadRecord withProgress(UploadSession newSession, ChunkSet newChunks) {
        return new UploadRecord(newSession, storageState, newChunks, location, appendOffset, attributes);
    }

    /**
     * Returns a copy with another session and, if present, another location.
     *
     * @param newSession the session, not null
     * @param newLocation the location to set, or empty to keep the current one
     * @return the copy
     */
    public UploadRecord withTransition(UploadSession newSession, Optional<StorageLocation> newLocation) {
        return new UploadRecord(newSession, storageState, chunks,
                newLocation.isPresent() ? newLocation : location, appendOffset, attributes);
    }

    /**
     * Returns a copy of an append upload with another offset and session.
     *
     * @param newSession the session, not null
     * @param newOffset the offset
     * @return the copy
     */
    public UploadRecord withAppendOffset(UploadSession newSession, long newOffset) {
        return new UploadRecord(newSession, storageState, chunks, location, newOffset, attributes);
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
