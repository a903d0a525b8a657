/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param responseFields fields the completion hooks added, on the status of the request that completed the
 *     upload only (see {@link CompleteResult#responseFields()}), not null
 */
public record AppendStatus(
        UploadSession session,
        long offset,
        Map<String, String> attributes,
        Optional<StorageLocation> location,
        Map<String, String> responseFields) {

    /**
     * Validates and copies the components.
     *
     * @param session the session snapshot, not null; its size is empty until declared
     * @param offset how many bytes are durably stored, in order, from the start
     * @param attributes the protocol's attributes fixed at creation (for example tus concatenation), not null
     * @param location where the completed file is, present once completed
     * @param responseFields fields the completion hooks added, not null
     * @throws NullPointerException if a component is null
     */
    public AppendStatus {
        Objects.requireNonNull(session, "session");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(location, "location");
        responseFields = Collections.unmodifiableMap(new LinkedHashMap<>(responseFields));
    }

    /**
     * Creates a status without response fields.
     *
     * @param session the session snapshot, not null
     * @param offset how many bytes are durably stored
     * @param attributes the protocol's attributes, not null
     * @param location where the completed file is, present once completed
     */
    public AppendStatus(
            UploadSession session, long offset, Map<String, String> attributes, Optional<StorageLocation> location) {
        this(session, offset, attributes, location, Map.of());
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
