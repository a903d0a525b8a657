/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A filter in front of the adapter that records, after the adapter returned, whether the container offered
 * sendfile ({@value ServletExchange#SENDFILE_SUPPORT}) and whether the adapter handed it a file, for requests that
 * carry an {@code X-Probe} header naming them.
 */
final class SendfileProbe implements Filter {

    /** What a probed request left behind. */
    record Seen(boolean offered, Optional<Object> filename) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        String probe = ((HttpServletRequest) request).getHeader("X-Probe");
        if (probe != null) {
            seen.put(
                    probe,
                    new Seen(
                            Boolean.TRUE.equals(request.getAttribute(ServletExchange.SENDFILE_SUPPORT)),
                            Optional.ofNullable(request.getAttribute("org.apache.tomcat.sendfile.filename"))));
        }
    }

    Seen seen(String probe) {
        return Optional.ofNullable(seen.get(probe)).orElseThrow(() -> new AssertionError("no request " + probe));
    }
}
