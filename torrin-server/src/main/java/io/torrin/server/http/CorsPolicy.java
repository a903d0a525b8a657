/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Cross-origin rules for the upload endpoints: which browser origins may call them, which request headers they
 * may send and which response headers their scripts may read. Off by default (no origin allowed, no CORS headers
 * sent). Immutable and thread-safe.
 *
 * @param allowedOrigins exact origins such as {@code https://app.example.com}, or {@code *} for any
 * @param allowedHeaders request headers a browser may send (besides the CORS-safelisted ones)
 * @param exposedHeaders response headers a script may read
 * @param allowCredentials whether cookies and HTTP authentication may be sent (never together with {@code *})
 * @param maxAge how long a browser may cache a preflight answer
 */
public record CorsPolicy(
        List<String> allowedOrigins,
        List<String> allowedHeaders,
        List<String> exposedHeaders,
        boolean allowCredentials,
        Duration maxAge) {

    /** The request headers allowed by default: what Torrin, tus and IETF resumable-upload clients send. */
    public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of(
            "Content-Type",
            "Authorization",
            "X-Requested-With",
            "X-Torrin-Chunk-Hash",
            "X-HTTP-Method-Override",
            "Tus-Resumable",
            "Upload-Length",
            "Upload-Offset",
            "Upload-Metadata",
            "Upload-Defer-Length",
            "Upload-Concat",
            "Upload-Checksum",
            "Upload-Complete",
            "Upload-Draft-Interop-Version");
    /** The response headers exposed by default: what Torrin, tus and IETF resumable-upload clients read. */
    public static final List<String> DEFAULT_EXPOSED_HEADERS = List.of(
            "Location",
            "Retry-After",
            "Tus-Resumable",
            "Tus-Version",
            "Tus-Extension",
            "Tus-Max-Size",
            "Tus-Checksum-Algorithm",
            "Upload-Offset",
            "Upload-Length",
            "Upload-Metadata",
            "Upload-Expires",
            "Upload-Defer-Length",
            "Upload-Concat",
            "Upload-Complete",
            "Upload-Limit");

    /**
     * Validates and copies the components.
     *
     * @param allowedOrigins exact origins such as {@code https://app.example.com}, or {@code *} for any
     * @param allowedHeaders request headers a browser may send (besides the CORS-safelisted ones)
     * @param exposedHeaders response headers a script may read
     * @param allowCredentials whether cookies and HTTP authentication may be sent (never together with {@code *})
     * @param maxAge how long a browser may cache a preflight answer
     * @throws IllegalArgumentException if credentials are allowed for any origin
     */
    public CorsPolicy {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
        Objects.requireNonNull(maxAge, "maxAge");
        if (allowCredentials && allowedOrigins.contains("*")) {
            throw new IllegalArgumentException("credentials cannot be allowed for any origin ('*')");
        }
    }

    /**
     * Returns the policy that allows no cross-origin calls.
     *
     * @return the disabled policy
     */
    public static CorsPolicy disabled() {
        return new CorsPolicy(List.of(), DEFAULT_ALLOWED_HEADERS, DEFAULT_EXPOSED_HEADERS, false, Duration.ofHours(1));
    }

    /**
     * Returns a policy for the given origins with the default headers, no credentials and a one-hour preflight
     * cache.
     *
     * @param origins exact origins, or {@code *}
     * @return the policy
     */
    public static CorsPolicy allowOrigins(String... origins) {
        return new CorsPolicy(
                List.of(origins), DEFAULT_ALLOWED_HEADERS, DEFAULT_EXPOSED_HEADERS, false, Duration.ofHours(1));
    }

    /**
     * Tells whether any origin is allowed at all.
     *
     * @return {@code false} for the disabled policy
     */
    public boolean isEnabled() {
        return !allowedOrigins.isEmpty();
    }

    /**
     * Returns the value for {@code Access-Control-Allow-Origin} if the request's origin is allowed.
     *
     * @param request the request
     * @return the value to send, or empty if the request has no allowed origin
     */
    public Optional<String> allowOrigin(HttpRequest request) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty() || !isEnabled()) {
            return Optional.empty();
        }
        if (allowedOrigins.contains("*")) {
            return Optional.of("*");
        }
        String value = origin.get();
        return allowedOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(value)) ? origin : Optional.empty();
    }

    /**
     * Tells whether a request is a CORS preflight.
     *
     * @param request the request
     * @return whether it is an {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}
     */
    public static boolean isPreflight(HttpRequest request) {
        return request.method().equals("OPTIONS")
                && request.header("Origin").isPresent()
                && request.header("Access-Control-Request-Method").isPresent();
    }

    /**
     * Adds the CORS headers of an actual (non-preflight) response.
     *
     * @param request the request
     * @param response the response being built
     */
    public void decorate(HttpRequest request, HttpResponse.Builder response) {
        allowOrigin(request).ifPresent(origin -> {
            response.header("Access-Control-Allow-Origin", origin);
            if (!origin.equals("*")) {
                response.addHeader("Vary", "Origin");
            }
            if (allowCredentials) {
                response.header("Access-Control-Allow-Credentials", "true");
            }
            if (!exposedHeaders.isEmpty()) {
                response.header("Access-Control-Expose-Headers", String.join(", ", exposedHeaders));
            }
        });
    }

    /**
     * Answers a preflight request for a route that accepts the given methods.
     *
     * @param request the preflight request
     * @param allowedMethods the route's methods
     * @return 204 with the CORS headers if origin, method and headers are allowed; 403 otherwise
     */
    public HttpResponse preflight(HttpRequest request, List<String> allowedMethods) {
        Optional<String> origin = allowOrigin(request);
        String method = request.header("Access-Control-Request-Method")
                .orElse("")
                .trim()
                .toUpperCase(Locale.ROOT);
        boolean headersAllowed = request.headers("Access-Control-Request-Headers").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .allMatch(h -> allowedHeaders.stream().anyMatch(a -> a.equalsIgnoreCase(h)));
        if (origin.isEmpty() || !allowedMethods.contains(method) || !headersAllowed) {
            return HttpResponse.status(403).header("Vary", "Origin").build();
        }
        HttpResponse.Builder response = HttpResponse.status(204)
                .header("Access-Control-Allow-Origin", origin.get())
                .header("Access-Control-Allow-Methods", String.join(", ", allowedMethods))
                .header("Access-Control-Allow-Headers", String.join(", ", allowedHeaders))
                .header("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()))
                .header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (allowCredentials) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        return response.build();
    }
}
