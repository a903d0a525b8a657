/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

/**
 * The error codes of the Torrin wire protocol, each with the HTTP status the Torrin protocol answers it with and
 * the status the tus protocol answers it with (both tables are declared here, one constant each, so that no
 * handler keeps a table of its own).
 *
 * <p>The first twelve codes are those of the original Torrin protocol; the others are Torrin for Java
 * additions that keep the same error envelope. {@link #name()} is the code as it appears on the wire.
 */
public enum ErrorCode {
    /** Malformed or invalid input: bad JSON, missing or invalid file size, bad index syntax, invalid metadata. */
    INVALID_REQUEST(400, 400),
    /** The upload id is unknown, or the upload has expired. */
    UPLOAD_NOT_FOUND(404, 404),
    /** A chunk, complete or abort arrived for an upload that is already completed. */
    UPLOAD_ALREADY_COMPLETED(409, 409),
    /** A chunk or complete arrived for an upload that was canceled. */
    UPLOAD_CANCELED(409, 410),
    /** The chunk index is below zero or not below {@code totalChunks}. */
    CHUNK_OUT_OF_RANGE(400, 400),
    /** The declared or the actually received byte count of a chunk is not the expected one. */
    CHUNK_SIZE_MISMATCH(400, 400),
    /** The SHA-256 of a chunk's bytes is not the one the client announced. */
    CHUNK_HASH_MISMATCH(400, 460),
    /** Reserved by the protocol; re-sending a chunk is accepted idempotently instead. */
    CHUNK_ALREADY_UPLOADED(409, 409),
    /** Complete was requested while chunks are still missing. */
    MISSING_CHUNKS(400, 400),
    /** The SHA-256 of the whole file is not the one the client announced at complete. */
    FILE_HASH_MISMATCH(400, 400),
    /** The storage backend failed; the upload stays resumable. */
    STORAGE_ERROR(500, 503),
    /** Anything unexpected; never used for a client mistake. */
    INTERNAL_ERROR(500, 500),
    /** The declared file size is above the configured or the storage's maximum. */
    FILE_TOO_LARGE(413, 413),
    /** A request part other than the file itself is too large, for example the metadata. */
    PAYLOAD_TOO_LARGE(413, 413),
    /** Another operation holds the upload and did not let go within the configured wait. Retry later. */
    UPLOAD_LOCKED(423, 423),
    /** A hook refused the operation because the caller is not authenticated. */
    UNAUTHORIZED(401, 401),
    /** A hook refused the operation for this caller. */
    FORBIDDEN(403, 403),
    /** No protocol route has this path. */
    ROUTE_NOT_FOUND(404, 404),
    /** The route exists but not for this HTTP method; the response carries {@code Allow}. */
    METHOD_NOT_ALLOWED(405, 405),
    /** A JSON route received a body of another media type. */
    UNSUPPORTED_MEDIA_TYPE(415, 415),
    /**
     * An append (offset-based, as in tus) named another offset than the upload's current one; nothing changed.
     * The details carry the current {@code offset}.
     */
    OFFSET_MISMATCH(409, 409),
    /**
     * Creating another upload would exceed a limit: the service's cap on unfinished uploads, or a per-caller creation
     * limit of a hook. Retryable later; the details may carry {@code retryAfterSeconds}.
     */
    TOO_MANY_UPLOADS(429, 429),
    /**
     * The server is shutting down and takes no new requests; retryable (against another instance, or this one
     * once restarted). The details carry {@code retryAfterSeconds}.
     */
    SERVICE_UNAVAILABLE(503, 503),
    /**
     * A download asked for an upload that has not completed yet (its bytes are not final); the details carry the
     * {@code uploadId}.
     */
    UPLOAD_NOT_COMPLETED(409, 409),
    /**
     * A download's {@code Range} lies wholly beyond the file; the response carries {@code Content-Range: bytes
     * *&#47;<length>}.
     */
    RANGE_NOT_SATISFIABLE(416, 416),
    /**
     * A download's precondition ({@code If-Match}, {@code If-Unmodified-Since}) does not hold for the stored file.
     */
    PRECONDITION_FAILED(412, 412);

    private final int httpStatus;
    private final int tusStatus;

    ErrorCode(int httpStatus, int tusStatus) {
        this.httpStatus = httpStatus;
        this.tusStatus = tusStatus;
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
     * Returns the HTTP status the tus protocol answers this error with: the Torrin status except where tus
     * prescribes another ({@code 410 Gone} for a terminated upload, {@code 460} for a checksum mismatch,
     * {@code 503} with {@code Retry-After} for a retryable storage failure).
     *
     * @return an HTTP status code between 400 and 599
     */
    public int tusStatus() {
        return tusStatus;
    }

    /**
     * Tells whether a client may retry the same request later and expect it to succeed.
     *
     * @return {@code true} for storage failures, lock contention, creation limits and a shutdown; an exception may say otherwise
     *     for itself,
     *     see {@link TorrinException#isRetryable()}
     */
    public boolean isRetryable() {
        return this == STORAGE_ERROR
                || this == UPLOAD_LOCKED
                || this == TOO_MANY_UPLOADS
                || this == SERVICE_UNAVAILABLE;
    }
}
