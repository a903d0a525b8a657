/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One append to an append upload (the offset-based model of the tus protocol): bytes that continue the upload at
 * {@code offset}. Immutable apart from the stream; the service reads the stream but never closes it.
 *
 * @param uploadId the upload id, not null
 * @param offset where the bytes go; must equal the upload's current offset
 * @param length the exact byte count of {@code data} if the client declared it (for example
 *     {@code Content-Length}); empty for a body of unannounced length (chunked transfer encoding)
 * @param declaredFileSize the upload's size if the client declares it with this request (for uploads created
 *     without a size), else empty
 * @param checksum a checksum of the whole body to verify before the bytes count, if the client sent one
 * @param data the bytes, not null; read to its end
 */
public record AppendRequest(
        String uploadId,
        long offset,
        OptionalLong length,
        OptionalLong declaredFileSize,
        Optional<BodyChecksum> checksum,
        InputStream data) {

    /**
     * Validates the components.
     *
     * @param uploadId the upload id, not null
     * @param offset where the bytes go; must equal the upload's current offset
     * @param length the exact byte count of {@code data} if the client declared it (for example
     *     {@code Content-Length}); empty for a body of unannounced length (chunked transfer encoding)
     * @param declaredFileSize the upload's size if the client declares it with this request (for uploads created
     *     without a size), else empty
     * @param checksum a checksum of the whole body to verify before the bytes count, if the client sent one
     * @param data the bytes, not null; read to its end
     * @throws NullPointerException if a reference component is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public AppendRequest {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(declaredFileSize, "declaredFileSize");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(data, "data");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (length.orElse(0) < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        if (declaredFileSize.orElse(0) < 0) {
            throw new IllegalArgumentException("declaredFileSize must not be negative: " + declaredFileSize);
        }
    }

    /**
     * Creates an append of a body whose length the client announced, without a declared size or checksum.
     *
     * @param uploadId the upload id, not null
     * @param offset where the bytes go
     * @param length the body's exact byte count
     * @param data the bytes, not null
     * @return the request
     */
    public static AppendRequest of(String uploadId, long offset, long length, InputStream data) {
        return new AppendRequest(
                uploadId, offset, OptionalLong.of(length), OptionalLong.empty(), Optional.empty(), data);
    }

    /**
     * Creates an append of a body of unannounced length (chunked transfer encoding), without a declared size or
     * checksum.
     *
     * @param uploadId the upload id, not null
     * @param offset where the bytes go
     * @param data the bytes, not null
     * @return the request
     */
    public static AppendRequest streaming(String uploadId, long offset, InputStream data) {
        return new AppendRequest(uploadId, offset, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), data);
    }

    /**
     * Returns a copy that declares the upload's size, for uploads created without one.
     *
     * @param fileSize the size, at least 0
     * @return the copy
     */
    public AppendRequest withDeclaredFileSize(long fileSize) {
        return new AppendRequest(uploadId, offset, length, OptionalLong.of(fileSize), checksum, data);
    }

    /**
     * Returns a copy whose body is verified against a checksum before its bytes count.
     *
     * @param bodyChecksum the checksum, not null
     * @return the copy
     */
    public AppendRequest withChecksum(BodyChecksum bodyChecksum) {
        return new AppendRequest(uploadId, offset, length, declaredFileSize, Optional.of(bodyChecksum), data);
    }
}
