/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One append a {@link StorageDriver} is asked to store: bytes that continue an append upload at {@code offset}.
 *
 * <p>{@code data} ends normally also when the client's body broke off (the service turns the failure into an
 * early end and remembers it) and never yields more than the upload may still take. A driver copies
 * {@code data} to its end and must not close it.
 *
 * @param upload the upload, not null; its session's {@code chunkSize} is the unit in which chunk-based backends
 *     (S3 parts) store the bytes
 * @param offset where the bytes go: the upload's recorded offset; every byte below it is stored
 * @param fileSize the upload's size as of this append (possibly declared by it), or empty while undeclared
 * @param length the exact number of bytes {@code data} yields unless the client breaks off, or empty if the client
 *     did not announce it
 * @param data the bytes, not null
 */
public record AppendWrite(
        StorageUpload upload, long offset, OptionalLong fileSize, OptionalLong length, InputStream data) {

    /**
     * Validates the components.
     *
     * @param upload the upload, not null; its session's {@code chunkSize} is the unit in which chunk-based backends
     *     (S3 parts) store the bytes
     * @param offset where the bytes go: the upload's recorded offset; every byte below it is stored
     * @param fileSize the upload's size as of this append (possibly declared by it), or empty while undeclared
     * @param length the exact number of bytes {@code data} yields unless the client breaks off, or empty if the client
     *     did not announce it
     * @param data the bytes, not null
     * @throws NullPointerException if a reference component is null
     */
    public AppendWrite {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(fileSize, "fileSize");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Tells whether the bytes of this append, if all arrive, finish the upload.
     *
     * @param stored how many bytes of this append are stored
     * @return {@code true} if the size is known and {@code offset + stored} reaches it
     */
    public boolean finishes(long stored) {
        return fileSize.isPresent() && offset + stored == fileSize.getAsLong();
    }
}
