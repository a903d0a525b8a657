/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Who asks, as far as the caller knows: the authenticated principal, the request headers and free-form
 * attributes. HTTP adapters fill it from the request; direct Java callers use {@link #none()} or build one. Hooks
 * use it to authorize each operation. Immutable and thread-safe.
 *
 * @param principal the authenticated caller, if any
 * @param headers request headers by name (case-insensitive lookup through {@link #header(String)}), not null
 * @param attributes anything the application wants to pass to its hooks, not null
 */
public record RequestContext(
        Optional<Principal> principal, Map<String, List<String>> headers, Map<String, Object> attributes) {

    /**
     * The attribute naming the protocol a request came in by ({@code torrin}, {@code tus},
     * {@code ietf-resumable}); the HTTP protocol handlers set it, direct Java callers do not. Read it with {@link #protocol()}.
     */
    public static final String PROTOCOL_ATTRIBUTE = "io.torrin.protocol";

    private static final RequestContext NONE = new RequestContext(Optional.empty(), Map.of(), Map.of());

    /**
     * Validates and copies the components; header names are kept case-insensitively.
     *
     * @param principal the authenticated caller, if any
     * @param headers request headers by name (case-insensitive lookup through {@link #header(String)}), not null
     * @param attributes anything the application wants to pass to its hooks, not null
     * @throws NullPointerException if a component, key or value is null
     */
    public RequestContext {
        Objects.requireNonNull(principal, "principal");
        TreeMap<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> sorted.merge(
                name,
                List.copyOf(values),
                (a, b) -> Stream.concat(a.stream(), b.stream()).toList()));
        headers = Collections.unmodifiableMap(sorted);
        attributes = Map.copyOf(attributes);
    }

    /**
     * Returns the context of a caller nobody knows anything about, used by the context-less service methods.
     *
     * @return the empty context
     */
    public static RequestContext none() {
        return NONE;
    }

    /**
     * Returns a context with only a principal.
     *
     * @param principal the caller, not null
     * @return the context
     */
    public static RequestContext of(Principal principal) {
        return new RequestContext(Optional.of(principal), Map.of(), Map.of());
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, any case, not null
     * @return the first value, or empty if the header is absent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The protocol the request came in by, as set by the protocol handler in {@link #PROTOCOL_ATTRIBUTE}.
     *
     * @return {@code torrin}, {@code tus}, {@code ietf-resumable}, or empty for a direct Java call
     */
    public Optional<String> protocol() {
        return attributes.get(PROTOCOL_ATTRIBUTE) instanceof String protocol ? Optional.of(protocol) : Optional.empty();
    }
}
