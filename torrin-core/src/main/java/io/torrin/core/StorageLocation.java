/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a completed upload's bytes are, as the storage driver describes it: a type such as {@code "local"} or
 * {@code "s3"} and string attributes such as {@code path}, {@code bucket}, {@code key} or {@code url}.
 *
 * <p>The local driver reports paths relative to its base directory so that responses never leak absolute
 * server paths.
 *
 * @param type the storage type, not null
 * @param attributes the attributes, not null; copied into an unmodifiable map
 */
public record StorageLocation(String type, Map<String, String> attributes) {

    /**
     * Validates and copies the components.
     *
     * @param type the storage type, not null
     * @param attributes the attributes, not null; copied into an unmodifiable map
     * @throws NullPointerException if a component, key or value is null
     */
    public StorageLocation {
        Objects.requireNonNull(type, "type");
        attributes = Map.copyOf(attributes);
    }

    /**
     * Returns one attribute.
     *
     * @param name the attribute name, not null
     * @return the value, or empty if absent
     */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
