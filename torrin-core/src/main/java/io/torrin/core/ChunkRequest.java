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
 * One chunk to store: which upload, which index, how many bytes the caller declares, the bytes themselves and
 * optionally their SHA-256.
 *
 * <p>The stream must hold exactly the chunk's bytes: the service reads it to its end and counts what it really
 * got, so a stream with fewer or more bytes than the chunk needs is rejected with
 * {@link ErrorCode#CHUNK_SIZE_MISMATCH}. The service does not close the stream; the caller does.
 *
 * @param uploadId the upload id, not null
 * @param index the chunk index
 * @param size the declared size in bytes; empty for a body whose length the transport did not announce (HTTP
 *     chunked transfer encoding, HTTP/2 without {@code content-length}): only the streamed byte count is checked then
 * @param data the chunk's bytes, not null; read by the service, closed by the caller
 * @param sha256 the lowercase hex SHA-256 of the bytes (optionally prefixed {@code sha256:}), if the caller
 *     wants them verified while they stream
 */
public record ChunkRequest(String uploadId, int index, OptionalLong size, InputStream data, Optional<String> sha256) {

    /**
     * Validates the components.
     *
     * @param uploadId the upload id, not null
     * @param index the chunk index
     * @param size the declared size in bytes; empty for a body whose length the transport did not announce (HTTP
     *     chunked transfer encoding, HTTP/2 without {@code content-length}): only the streamed byte count is checked then
     * @param data the chunk's bytes, not null; read by the service, closed by the caller
     * @param sha256 the lowercase hex SHA-256 of the bytes (optionally prefixed {@code sha256:}), if the caller
     *     wants them verified while they stream
     * @throws NullPointerException if a component is null
     */
    public ChunkRequest {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * Creates a request without a hash.
     *
     * @param uploadId the upload id, not null
     * @param index the chunk index
     * @param size the declared size in bytes
     * @param data the chunk's bytes, not null
     * @return the request
     */
    public static ChunkRequest of(String uploadId, int index, long size, InputStream data) {
        return new ChunkRequest(uploadId, index, OptionalLong.of(size), data, Optional.empty());
    }

    /**
     * Creates a request whose bytes are verified against a SHA-256 while they stream.
     *
     * @param uploadId the upload id, not null
     * @param index the chunk index
     * @param size the declared size in bytes
     * @param data the chunk's bytes, not null
     * @param sha256 hex SHA-256 of the bytes (optionally prefixed {@code sha256:}), not null
     * @return the request
     * @throws NullPointerException if {@code sha256} is null
     */
    public static ChunkRequest of(String uploadId, int index, long size, InputStream data, String sha256) {
        return new ChunkRequest(
                uploadId, index, OptionalLong.of(size), data, Optional.of(Objects.requireNonNull(sha256, "sha256")));
    }
}
