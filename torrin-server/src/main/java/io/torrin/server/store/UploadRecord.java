package io.torrin.server.store;

import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.StorageUpload;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a store keeps about one upload: the session, the storage driver's private state, the received
 * chunks and, once completed, the location. Immutable and thread-safe.
 *
 * @param session the session, not null
 * @param storageState the storage driver's state for this upload (for example a staging name or an S3 upload
 *     id), not null; copied into an unmodifiable map
 * @param chunks the received chunks, not null; its total equals the session's {@code totalChunks}
 * @param location where the completed file is, present once completed
 */
public record UploadRecord(
        UploadSession session, Map<String, String> storageState, ChunkSet chunks, Optional<StorageLocation> location) {

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
        if (chunks.total() != session.totalChunks()) {
            throw new IllegalArgumentException("chunk set total " + chunks.total() + " != " + session.totalChunks());
        }
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
