/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A filter in front of the adapter that records, for requests carrying an {@code X-Probe} header that names them,
 * what the adapter had arranged when it asked for the response's output stream to copy the body: whether the
 * container offered sendfile ({@value ServletExchange#SENDFILE_SUPPORT}) and whether a file had been handed to it.
 * The record is made before the first byte is written, so it is there when the client has the answer.
 */
final class SendfileProbe implements Filter {

    /** What a probed request showed when the adapter started to copy its body. */
    record Seen(boolean offered, Optional<Object> filename) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String probe = ((HttpServletRequest) request).getHeader("X-Probe");
        if (probe == null) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                seen.put(
                        probe,
                        new Seen(
                                Boolean.TRUE.equals(request.getAttribute(ServletExchange.SENDFILE_SUPPORT)),
                                Optional.ofNullable(request.getAttribute("org.apache.tomcat.sendfile.filename"))));
                return super.getOutputStream();
            }
        });
    }

    /**
     * Returns what a probed request showed when its body was copied.
     *
     * @param probe the request's {@code X-Probe} value
     * @return the record
     * @throws AssertionError if the adapter never asked for the output stream (it did not copy the body)
     */
    Seen seen(String probe) {
        return Optional.ofNullable(seen.get(probe))
                .orElseThrow(() -> new AssertionError("the adapter did not copy the body of " + probe));
    }
}
