/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.UploadSession;
import io.torrin.server.spi.support.StorageNames;

/**
 * Chooses where, relative to the driver's base directory, a completed upload's file goes. The path is chosen
 * once, when the upload begins, and kept with the session.
 *
 * <p>A strategy must return distinct paths for distinct uploads (including the upload id is the easy way) and
 * should return plain relative paths; the driver refuses anything that would leave the base directory or
 * touch its own {@code .torrin*} entries, whatever a strategy returns. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface NamingStrategy {

    /**
     * Returns the relative path, with {@code /} between directories, for a new upload's final file.
     *
     * @param session the upload, not null
     * @return a relative path, not null
     */
    String relativePath(UploadSession session);

    /**
     * Names files {@code <uploadId><ext>}, keeping a short alphanumeric extension of the client's file name
     * (for example {@code 4g2kq…x7.mp4}). The default.
     *
     * @return the strategy
     */
    static NamingStrategy byUploadId() {
        return session ->
                session.uploadId() + StorageNames.extension(session.fileName().orElse(""));
    }

    /**
     * Keeps the client's file name, sanitized, in a directory of its own: {@code <uploadId>/<name>}. Names are
     * NFC-normalized; characters that some file systems forbid become {@code _}; leading and trailing dots
     * and spaces are dropped.
     *
     * @return the strategy
     */
    static NamingStrategy byOriginalName() {
        return session -> session.uploadId() + "/"
                + StorageNames.sanitize(session.fileName().orElse(""));
    }
}
