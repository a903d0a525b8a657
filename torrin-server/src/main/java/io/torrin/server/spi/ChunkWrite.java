/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * One chunk a {@link StorageDriver} is asked to store.
 *
 * <p>{@code data} yields at most {@code length} bytes, and fewer only if the client's body ends early; the
 * service counts and checks what was read after the driver returns, so a driver simply copies {@code data} to
 * its end. The driver must not close {@code data} and must let its {@link java.io.IOException}s propagate.
 *
 * @param upload the upload, not null
 * @param index the chunk index
 * @param offset the chunk's byte offset in the file ({@code index × chunkSize})
 * @param length the chunk's exact expected length
 * @param sha256 the lowercase hex SHA-256 the client announced, if any (the service verifies it; a driver may
 *     also hand it to its backend)
 * @param data the bytes, not null
 */
public record ChunkWrite(
        StorageUpload upload, int index, long offset, long length, Optional<String> sha256, InputStream data) {

    /**
     * Validates the components.
     *
     * @param upload the upload, not null
     * @param index the chunk index
     * @param offset the chunk's byte offset in the file ({@code index × chunkSize})
     * @param length the chunk's exact expected length
     * @param sha256 the lowercase hex SHA-256 the client announced, if any (the service verifies it; a driver may
     *     also hand it to its backend)
     * @param data the bytes, not null
     * @throws NullPointerException if a component is null
     */
    public ChunkWrite {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(data, "data");
    }
}
