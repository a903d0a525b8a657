/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception Torrin throws for every failure a caller can act upon.
 *
 * <p>It carries an {@link ErrorCode}, the HTTP status the error is answered with (by default the code's own)
 * and structured details, for example {@code {"index": 7, "totalChunks": 5}} for
 * {@link ErrorCode#CHUNK_OUT_OF_RANGE}. Backend exceptions (I/O, SQL, S3) are always translated into it,
 * usually as {@link ErrorCode#STORAGE_ERROR} with the original as the cause.
 *
 * <p>Instances are immutable; the details map is an unmodifiable copy whose values are JSON-friendly
 * (strings, numbers, booleans, lists and maps of those).
 */
public class TorrinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error code. */
    private final ErrorCode code;
    /** The HTTP status answered. */
    private final int statusCode;

    private final transient Map<String, Object> details;

    /**
     * Creates an exception with the code's default HTTP status and no details.
     *
     * @param code the error code, not null
     * @param message a human-readable message, not null
     */
    public TorrinException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    /**
     * Creates an exception with the code's default HTTP status.
     *
     * @param code the error code, not null
     * @param message a human-readable message, not null
     * @param details structured details, not null (may be empty); copied
     */
    public TorrinException(ErrorCode code, String message, Map<String, ?> details) {
        this(code, message, details, null);
    }

    /**
     * Creates an exception with the code's default HTTP status.
     *
     * @param code the error code, not null
     * @param message a human-readable message, not null
     * @param details structured details, not null (may be empty); copied
     * @param cause the underlying failure, or null
     */
    public TorrinException(ErrorCode code, String message, Map<String, ?> details, Throwable cause) {
        this(code, code.httpStatus(), message, details, cause);
    }

    /**
     * Creates an exception with an explicit HTTP status, for hooks that need one other than the code's default.
     *
     * @param code the error code, not null
     * @param statusCode the HTTP status to answer with, between 400 and 599
     * @param message a human-readable message, not null
     * @param details structured details, not null (may be empty); copied
     * @param cause the underlying failure, or null
     * @throws IllegalArgumentException if the status is not an HTTP error status
     */
    public TorrinException(ErrorCode code, int statusCode, String message, Map<String, ?> details, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        if (statusCode < 400 || statusCode > 599) {
            throw new IllegalArgumentException("not an HTTP error status: " + statusCode);
        }
        this.statusCode = statusCode;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
    }

    /**
     * Returns the error code.
     *
     * @return the code, never null
     */
    public ErrorCode code() {
        return code;
    }

    /**
     * Returns the HTTP status this error is answered with.
     *
     * @return an HTTP status between 400 and 599
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Returns the structured details of this error.
     *
     * @return an unmodifiable map, never null, possibly empty
     */
    public Map<String, Object> details() {
        return details;
    }

    /**
     * Tells whether the same request may succeed later: the code's default ({@link ErrorCode#isRetryable()}) unless
     * the thrower said otherwise with a boolean {@code "retryable"} detail (a storage driver does for a missing
     * bucket or refused credentials, which no retry cures). The one place that decides; every protocol handler asks
     * it.
     *
     * @return whether a retry may succeed
     */
    public boolean isRetryable() {
        return details.get("retryable") instanceof Boolean retryable ? retryable : code.isRetryable();
    }

    @Override
    public String toString() {
        return "TorrinException[" + code + ", " + statusCode + "]: " + getMessage()
                + (details.isEmpty() ? "" : " " + details);
    }
}
