/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An incoming HTTP request as a protocol handler sees it, whatever web framework received it. Adapters implement
 * it over their own request type; the body is streamed, never buffered by the adapter.
 *
 * <p>Implementations are used by one thread at a time and are not thread-safe.
 */
public interface HttpRequest {

    /**
     * Returns the method, upper case, for example {@code PUT}.
     *
     * @return the method, never null
     */
    String method();

    /**
     * Returns the path below the mount point, as received (not percent-decoded): {@code ""} or {@code "/"} for the
     * mount point itself, {@code "/abc/status"} below it.
     *
     * @return the path, never null
     */
    String path();

    /**
     * Returns the values of a header.
     *
     * @param name the header name, any case
     * @return the values in order, empty if the header is absent
     */
    List<String> headers(String name);

    /**
     * Returns all headers, for hooks.
     *
     * @return header names mapped to their values, never null
     */
    Map<String, List<String>> headers();

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, any case
     * @return the first value, or empty
     */
    default Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Returns the request body. The adapter owns it and closes it after the handler returns.
     *
     * @return the body stream, never null (empty for requests without a body)
     * @throws IOException if the body cannot be opened
     */
    InputStream body() throws IOException;

    /**
     * Returns the authenticated caller, as the web framework established it.
     *
     * @return the principal, or empty
     */
    Optional<Principal> principal();

    /**
     * Returns the absolute URL of the mount point as this server sees it, without a trailing slash, for example
     * {@code http://localhost:8080/app/torrin/uploads}; forwarded headers are applied by the handler, not here.
     *
     * @return the URL, never null
     */
    String mountUrl();

    /**
     * Returns a trailer field of a request sent with chunked transfer encoding. Only meaningful after the body was
     * read to its end; adapters whose container cannot read trailers return empty (the default).
     *
     * @param name the field name, case-insensitive, not null
     * @return the first value, or empty
     */
    default Optional<String> trailer(String name) {
        return Optional.empty();
    }
}
