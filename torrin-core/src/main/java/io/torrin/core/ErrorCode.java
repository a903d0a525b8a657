package io.torrin.core;

/**
 * The error codes of the Torrin wire protocol, each with the HTTP status it is answered with.
 *
 * <p>The first twelve codes are those of the original Torrin protocol; the others are Torrin for Java
 * additions that keep the same error envelope. {@link #name()} is the code as it appears on the wire.
 */
public enum ErrorCode {
    /** Malformed or invalid input: bad JSON, missing or invalid file size, bad index syntax, invalid metadata. */
    INVALID_REQUEST(400),
    /** The upload id is unknown, or the upload has expired. */
    UPLOAD_NOT_FOUND(404),
    /** A chunk, complete or abort arrived for an upload that is already completed. */
    UPLOAD_ALREADY_COMPLETED(409),
    /** A chunk or complete arrived for an upload that was canceled. */
    UPLOAD_CANCELED(409),
    /** The chunk index is below zero or not below {@code totalChunks}. */
    CHUNK_OUT_OF_RANGE(400),
    /** The declared or the actually received byte count of a chunk is not the expected one. */
    CHUNK_SIZE_MISMATCH(400),
    /** The SHA-256 of a chunk's bytes is not the one the client announced. */
    CHUNK_HASH_MISMATCH(400),
    /** Reserved by the protocol; re-sending a chunk is accepted idempotently instead. */
    CHUNK_ALREADY_UPLOADED(409),
    /** Complete was requested while chunks are still missing. */
    MISSING_CHUNKS(400),
    /** The SHA-256 of the whole file is not the one the client announced at complete. */
    FILE_HASH_MISMATCH(400),
    /** The storage backend failed; the upload stays resumable. */
    STORAGE_ERROR(500),
    /** Anything unexpected; never used for a client mistake. */
    INTERNAL_ERROR(500),
    /** The declared file size is above the configured or the storage's maximum. */
    FILE_TOO_LARGE(413),
    /** A request part other than the file itself is too large, for example the metadata. */
    PAYLOAD_TOO_LARGE(413),
    /** Another operation holds the upload and did not let go within the configured wait. Retry later. */
    UPLOAD_LOCKED(423),
    /** A hook refused the operation because the caller is not authenticated. */
    UNAUTHORIZED(401),
    /** A hook refused the operation for this caller. */
    FORBIDDEN(403),
    /** No protocol route has this path. */
    ROUTE_NOT_FOUND(404),
    /** The route exists but not for this HTTP method; the response carries {@code Allow}. */
    METHOD_NOT_ALLOWED(405),
    /** A JSON route received a body of another media type. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /**
     * An append (offset-based, as in tus) named another offset than the upload's current one; nothing changed.
     * The details carry the current {@code offset}.
     */
    OFFSET_MISMATCH(409);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * Returns the HTTP status code this error is answered with by default.
     *
     * @return an HTTP status code between 400 and 599
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Tells whether a client may retry the same request later and expect it to succeed.
     *
     * @return {@code true} for storage failures and lock contention
     */
    public boolean isRetryable() {
        return this == STORAGE_ERROR || this == UPLOAD_LOCKED;
    }
}
