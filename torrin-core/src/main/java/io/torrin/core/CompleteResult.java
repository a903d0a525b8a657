/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Map;
import java.util.Objects;

/**
 * The answer to a successful complete: the final session, where the file now is, and the protocol attributes kept
 * with the upload since its creation.
 *
 * @param session the session, in state {@link UploadState#COMPLETED}, not null
 * @param location where the storage put the file, not null
 * @param attributes the protocol's attributes fixed at creation (for example the JSON types of the metadata the
 *     Torrin protocol received), not null; copied into an unmodifiable map
 */
public record CompleteResult(UploadSession session, StorageLocation location, Map<String, String> attributes) {

    /**
     * Validates and copies the components.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     * @param attributes the protocol's attributes fixed at creation, not null
     * @throws NullPointerException if a component is null
     */
    public CompleteResult {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(location, "location");
        attributes = Map.copyOf(attributes);
    }

    /**
     * Creates a result without protocol attributes.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     */
    public CompleteResult(UploadSession session, StorageLocation location) {
        this(session, location, Map.of());
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
