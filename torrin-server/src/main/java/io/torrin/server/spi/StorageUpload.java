/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.UploadSession;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link StorageDriver} gets to know about an upload: the session and the driver's own state for it, as
 * returned by {@link StorageDriver#begin(UploadSession)} and kept by the store.
 *
 * @param session the session, not null
 * @param storageState the driver's state for this upload, not null; copied into an unmodifiable map
 */
public record StorageUpload(UploadSession session, Map<String, String> storageState) {

    /**
     * Validates and copies the components.
     *
     * @param session the session, not null
     * @param storageState the driver's state for this upload, not null; copied into an unmodifiable map
     * @throws NullPointerException if a component is null
     */
    public StorageUpload {
        Objects.requireNonNull(session, "session");
        storageState = Map.copyOf(storageState);
    }

    /**
     * Returns the upload id.
     *
     * @return the id, never null
     */
    public String uploadId() {
        return session.uploadId();
    }
}
