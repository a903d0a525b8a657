/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.server.http.HttpHandler;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Mounts a protocol (the Torrin protocol, or tus with {@link io.torrin.server.http.TusProtocolHandler}) under a
 * path prefix inside an existing web application; use one filter per protocol. Requests for the prefix
 * ({@code /torrin/uploads} and everything below it) are answered here; every other request goes down the chain
 * untouched.
 *
 * <pre>{@code
 * FilterRegistration.Dynamic torrin = servletContext.addFilter("torrin", new TorrinFilter(handler, "/torrin/uploads"));
 * torrin.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public class TorrinFilter implements Filter {

    private final HttpHandler handler;
    private final String mountPath;

    /**
     * Creates a filter.
     *
     * @param handler the protocol handler, not null
     * @param mountPath the prefix below the context path, such as {@code /torrin/uploads}; a trailing slash is
     *     ignored
     * @throws IllegalArgumentException if the prefix does not start with {@code /}
     */
    public TorrinFilter(HttpHandler handler, String mountPath) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.mountPath = normalizeMountPath(mountPath);
    }

    /**
     * Returns the mount path.
     *
     * @return the normalized prefix, without a trailing slash
     */
    public String mountPath() {
        return mountPath;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse httpResponse
                && isMounted(http)) {
            ServletExchange.handle(http, httpResponse, mountPath, handler::handle);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean isMounted(HttpServletRequest request) {
        return isBelow(request, mountPath);
    }

    /**
     * Tells whether a request's path, below the context path, is a mount path or lies below it.
     *
     * @param request the request, not null
     * @param mountPath a mount path as {@link #normalizeMountPath} returns it, not null
     * @return whether the request is for that mount
     */
    public static boolean isBelow(HttpServletRequest request, String mountPath) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return mountPath.isEmpty() || path.equals(mountPath) || path.startsWith(mountPath + "/");
    }

    /**
     * Normalizes a mount path: it must start with {@code /}; trailing slashes are removed ({@code "/"} becomes the
     * empty root path).
     *
     * @param mountPath the path, not null
     * @return the normalized path
     * @throws IllegalArgumentException if it does not start with {@code /}
     */
    public static String normalizeMountPath(String mountPath) {
        Objects.requireNonNull(mountPath, "mountPath");
        if (!mountPath.startsWith("/")) {
            throw new IllegalArgumentException("the mount path must start with '/': " + mountPath);
        }
        String trimmed = mountPath.replaceAll("/+$", "");
        return trimmed;
    }
}
