/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

/**
 * A protocol over the neutral exchange: turns one request into one response. Implemented by
 * {@link TorrinProtocolHandler} and {@link TusProtocolHandler}; adapters (servlet, filter, Spring) mount any
 * handler below a path.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one request. Implementations never throw: every failure becomes an error response.
     *
     * @param request the request, with its path relative to the mount point, not null
     * @return the response, never null
     */
    HttpResponse handle(HttpRequest request);
}
