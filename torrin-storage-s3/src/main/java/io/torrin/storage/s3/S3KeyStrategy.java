/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.UploadSession;
import io.torrin.server.spi.support.StorageNames;

/**
 * Chooses the object key of a new upload, below the driver's key prefix. The key is chosen once, when the upload
 * begins, and kept with the session. A strategy must return distinct keys for distinct uploads (include the upload
 * id). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface S3KeyStrategy {

    /**
     * Returns the key, without the driver's prefix.
     *
     * @param session the upload, not null
     * @return a key of at most 1024 UTF-8 bytes (with the prefix) and without control characters
     */
    String key(UploadSession session);

    /**
     * Keys {@code <uploadId><ext>}, keeping a short alphanumeric extension of the client's file name. The default.
     *
     * @return the strategy
     */
    static S3KeyStrategy byUploadId() {
        return session ->
                session.uploadId() + StorageNames.extension(session.fileName().orElse(""));
    }

    /**
     * Keys {@code <uploadId>/<sanitized original name>}.
     *
     * @return the strategy
     */
    static S3KeyStrategy byOriginalName() {
        return session -> session.uploadId() + "/"
                + StorageNames.sanitize(session.fileName().orElse(""));
    }
}
