/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.IOException;

/**
 * The capability of a {@link StorageDriver} to store append uploads: bytes that arrive in order at offsets (the
 * model of tus and of the IETF resumable-upload draft), instead of numbered chunks. The append model of the service
 * ({@code UploadService.appends()}) requires it; a protocol handler that needs it fails when it is built if the
 * driver does not implement it.
 *
 * <p>Thread-safe, like every driver. The service holds the upload exclusively during an append, so appends of one
 * upload never overlap.
 */
public interface AppendableStorage extends StorageDriver {

    /**
     * Stores the bytes of an append upload at {@link AppendWrite#offset()}, reading {@link AppendWrite#data()} to
     * its end. The service records the returned count as the new offset only after this method returns.
     *
     * <p>The returned count says how many bytes from {@code offset} are now as durable as the driver promises:
     * all bytes read, unless the body ended early and the backend cannot keep an unfinished piece (an S3 part
     * that was being streamed is lost then, and the count stops before it). Bytes stored beyond the recorded
     * offset, by an append whose outcome was not recorded, are overwritten by later appends. When the offset
     * reaches the size, {@link #complete} follows.
     *
     * @param write the append, not null
     * @return the count of durably stored bytes, between 0 and the count read
     * @throws PartialAppendException if the backend failed after some of the bytes were stored durably; the
     *     service records those and answers with a retryable error
     * @throws IOException if the backend failed before anything was stored; the service records nothing then
     */
    long append(AppendWrite write) throws IOException;
}
