/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of an append upload (the offset-based model of the tus protocol). Immutable and thread-safe.
 *
 * @param session the session snapshot, not null; its size is empty until declared
 * @param offset how many bytes are durably stored, in order, from the start
 * @param attributes the protocol's attributes fixed at creation (for example tus concatenation), not null
 * @param location where the completed file is, present once completed
 */
public record AppendStatus(
        UploadSession session, long offset, Map<String, String> attributes, Optional<StorageLocation> location) {

    /**
     * Validates and copies the components.
     *
     * @param session the session snapshot, not null; its size is empty until declared
     * @param offset how many bytes are durably stored, in order, from the start
     * @param attributes the protocol's attributes fixed at creation (for example tus concatenation), not null
     * @param location where the completed file is, present once completed
     * @throws NullPointerException if a component is null
     */
    public AppendStatus {
        Objects.requireNonNull(session, "session");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(location, "location");
    }

    /**
     * Returns the upload id.
     *
     * @return the id, never null
     */
    public String uploadId() {
        return session.uploadId();
    }

    /**
     * Tells whether every byte of a sized upload is stored.
     *
     * @return {@code true} if the size is known and reached
     */
    public boolean isFinished() {
        return session.fileSize().isPresent() && offset == session.fileSize().getAsLong();
    }
}
