/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * The capability of a {@link StorageDriver} to read the assembled bytes of an upload whose chunks are all stored,
 * before {@link #complete}, so that the service can verify a whole-file hash without finalizing (a mismatch then
 * leaves the upload completable). Without it, a complete that names a whole-file hash is refused with
 * {@code INVALID_REQUEST}. Thread-safe, like every driver.
 */
public interface StagedReadableStorage extends StorageDriver {

    /**
     * Opens the assembled bytes of an upload. The caller closes the stream.
     *
     * @param upload the upload, not null; every chunk is stored
     * @return a stream of exactly {@code fileSize} bytes
     * @throws IOException if the backend failed
     */
    InputStream openStaged(StorageUpload upload) throws IOException;
}
