package io.torrin.core;

import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * One append to an append upload (the offset-based model of the tus protocol): bytes that continue the upload at
 * {@code offset}. Immutable apart from the stream; the service reads the stream but never closes it.
 *
 * @param uploadId the upload id, not null
 * @param offset where the bytes go; must equal the upload's current offset
 * @param length the exact byte count of {@code data} if the client declared it (for example
 *     {@code Content-Length}), else {@link #UNKNOWN_LENGTH}
 * @param declaredFileSize the upload's size if the client declares it with this request (for uploads created
 *     without a size), else {@link UploadSession#UNKNOWN_SIZE}
 * @param checksum a checksum of the whole body to verify before the bytes count, if the client sent one
 * @param data the bytes, not null; read to its end
 */
public record AppendRequest(String uploadId, long offset, long length, long declaredFileSize,
        Optional<BodyChecksum> checksum, InputStream data) {

    /** The {@code length} of a body whose size the client did not declare (chunked transfer encoding). */
    public static final long UNKNOWN_LENGTH = -1;

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a reference component is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public AppendRequest {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(data, "data");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (length < UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("length must be at least 0 or UNKNOWN_LENGTH: " + length);
        }
        if (declaredFileSize < UploadSession.UNKNOWN_SIZE) {
            throw new IllegalArgumentException("declaredFileSize must be at least 0 or UNKNOWN_SIZE");
        }
    }
}
