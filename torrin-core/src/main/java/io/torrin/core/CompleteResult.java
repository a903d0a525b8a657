/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param responseFields fields the application's completion hooks add to the answer of the request that completed
 *     the upload (for example the URL where the application serves the file), not null; empty for a result of
 *     another request. Copied into an unmodifiable map that keeps the hooks' order
 */
public record CompleteResult(
        UploadSession session,
        StorageLocation location,
        Map<String, String> attributes,
        Map<String, String> responseFields) {

    /**
     * Validates and copies the components.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     * @param attributes the protocol's attributes fixed at creation, not null
     * @param responseFields fields the completion hooks add to the answer, not null
     * @throws NullPointerException if a component is null
     */
    public CompleteResult {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(location, "location");
        attributes = Map.copyOf(attributes);
        responseFields = Collections.unmodifiableMap(new LinkedHashMap<>(responseFields));
    }

    /**
     * Creates a result without response fields.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     * @param attributes the protocol's attributes fixed at creation, not null
     */
    public CompleteResult(UploadSession session, StorageLocation location, Map<String, String> attributes) {
        this(session, location, attributes, Map.of());
    }

    /**
     * Returns this result with response fields.
     *
     * @param fields the fields, not null
     * @return a new result
     */
    public CompleteResult withResponseFields(Map<String, String> fields) {
        return new CompleteResult(session, location, attributes, fields);
    }

    /**
     * Creates a result without protocol attributes.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     */
    public CompleteResult(UploadSession session, StorageLocation location) {
        this(session, location, Map.of(), Map.of());
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
