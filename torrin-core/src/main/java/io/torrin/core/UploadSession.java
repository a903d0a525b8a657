package io.torrin.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one upload as the service negotiated it: the file's description, the final chunk size and
 * count, its state and its expiry. Immutable and thread-safe.
 *
 * <p>Every chunk but the last has exactly {@link #chunkSize()} bytes; the last has the remainder, see
 * {@link #expectedChunkSize(int)}.
 *
 * <p>Uploads made through the Torrin protocol always have a size of at least one byte. Append uploads (the
 * offset-based tus protocol) may also be empty ({@code fileSize} 0, no chunks) or not sized yet
 * ({@code fileSize} {@link #UNKNOWN_SIZE}, no chunks until the client declares the size).
 *
 * @param uploadId the upload id (URL-safe, at least 128 random bits), not null
 * @param fileName the client's file name, if it gave one
 * @param fileSize the file size in bytes, at least 0, or {@link #UNKNOWN_SIZE} while an append upload has not
 *     declared it
 * @param mimeType the MIME type, not null ({@code application/octet-stream} unless the client said otherwise)
 * @param metadata the client's metadata after hooks, not null; copied into an unmodifiable map that keeps its order
 * @param chunkSize the negotiated chunk size in bytes, at least 1
 * @param totalChunks {@code ceil(fileSize / chunkSize)}; 0 for an empty or unsized upload
 * @param state the state at the time of the snapshot, not null
 * @param createdAt when the upload was created, not null
 * @param expiresAt when the upload expires unless activity extends it, not null
 */
public record UploadSession(
        String uploadId,
        Optional<String> fileName,
        long fileSize,
        String mimeType,
        Map<String, String> metadata,
        long chunkSize,
        int totalChunks,
        UploadState state,
        Instant createdAt,
        Instant expiresAt) {

    /** The {@code fileSize} of an append upload whose client has not declared the size yet. */
    public static final long UNKNOWN_SIZE = -1;

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a reference component is null
     * @throws IllegalArgumentException if sizes and chunk count do not agree
     */
    public UploadSession {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mimeType, "mimeType");
        metadata = orderedCopy(metadata);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (fileSize < UNKNOWN_SIZE || chunkSize < 1) {
            throw new IllegalArgumentException("fileSize must be at least 0 (or UNKNOWN_SIZE) and chunkSize positive");
        }
        if (totalChunks != chunkCount(fileSize, chunkSize)) {
            throw new IllegalArgumentException("totalChunks " + totalChunks + " != ceil(" + fileSize + " / "
                    + chunkSize + ")");
        }
    }

    /**
     * Copies a string map, keeping its iteration order and refusing null keys and values.
     *
     * @param map the map, not null
     * @return an unmodifiable ordered copy
     * @throws NullPointerException if the map, a key or a value is null
     */
    static Map<String, String> orderedCopy(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "metadata key"),
                Objects.requireNonNull(value, "metadata value")));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Computes {@code ceil(fileSize / chunkSize)}, 0 for an empty or unsized file.
     *
     * @param fileSize the file size, at least 0, or {@link #UNKNOWN_SIZE}
     * @param chunkSize the chunk size, at least 1
     * @return the number of chunks
     * @throws ArithmeticException if the count does not fit an int
     */
    public static int chunkCount(long fileSize, long chunkSize) {
        return fileSize <= 0 ? 0 : Math.toIntExact((fileSize + chunkSize - 1) / chunkSize);
    }

    /**
     * Returns the byte offset of a chunk in the file.
     *
     * @param index a chunk index {@code 0 ≤ index < totalChunks}
     * @return {@code index × chunkSize}
     */
    public long offsetOf(int index) {
        return index * chunkSize;
    }

    /**
     * Returns the exact byte count a chunk must have: {@link #chunkSize()} for all but the last, the remainder
     * for the last.
     *
     * @param index a chunk index {@code 0 ≤ index < totalChunks}
     * @return the expected size in bytes
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public long expectedChunkSize(int index) {
        Objects.checkIndex(index, totalChunks);
        return index < totalChunks - 1 ? chunkSize : fileSize - offsetOf(index);
    }

    /**
     * Tells whether the size is known: always for Torrin protocol uploads, for append uploads once declared.
     *
     * @return {@code fileSize != UNKNOWN_SIZE}
     */
    public boolean isSizeKnown() {
        return fileSize != UNKNOWN_SIZE;
    }

    /**
     * Returns a copy with a declared size (and the chunk count that goes with it).
     *
     * @param newFileSize the size, at least 0
     * @return the copy
     * @throws IllegalArgumentException if the size is negative
     */
    public UploadSession withFileSize(long newFileSize) {
        if (newFileSize < 0) {
            throw new IllegalArgumentException("file size must not be negative: " + newFileSize);
        }
        return new UploadSession(uploadId, fileName, newFileSize, mimeType, metadata, chunkSize,
                chunkCount(newFileSize, chunkSize), state, createdAt, expiresAt);
    }

    /**
     * Returns a copy in another state with another expiry.
     *
     * @param newState the state, not null
     * @param newExpiresAt the expiry, not null
     * @return the copy
     */
    public UploadSession withState(UploadState newState, Instant newExpiresAt) {
        return new UploadSession(uploadId, fileName, fileSize, mimeType, metadata, chunkSize, totalChunks,
                newState, createdAt, newExpiresAt);
    }
}
