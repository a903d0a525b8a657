/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.server.http.CorsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Cross-origin access to the upload endpoints; off unless origins are listed; bound from {@code torrin.cors.*}. */
public class TorrinCorsProperties {
    /** Origins allowed to call the endpoints from a browser, for example https://app.example.com, or *. */
    private List<String> allowedOrigins = new ArrayList<>();
    /** Request headers browsers may send. */
    private List<String> allowedHeaders = new ArrayList<>(CorsPolicy.DEFAULT_ALLOWED_HEADERS);
    /** Response headers scripts may read. */
    private List<String> exposedHeaders = new ArrayList<>(CorsPolicy.DEFAULT_EXPOSED_HEADERS);
    /** Whether cookies and HTTP authentication may be sent (not with *). */
    private boolean allowCredentials;
    /** How long browsers may cache a preflight answer. */
    private Duration maxAge = Duration.ofHours(1);

    /**
     * Returns {@code allowedOrigins}: Origins allowed to call the endpoints from a browser, for example https://app.example.com, or *.
     *
     * @return the value
     */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Sets {@code allowedOrigins}: Origins allowed to call the endpoints from a browser, for example https://app.example.com, or *.
     *
     * @param allowedOrigins the new value
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /**
     * Returns {@code allowedHeaders}: Request headers browsers may send.
     *
     * @return the value
     */
    public List<String> getAllowedHeaders() {
        return allowedHeaders;
    }

    /**
     * Sets {@code allowedHeaders}: Request headers browsers may send.
     *
     * @param allowedHeaders the new value
     */
    public void setAllowedHeaders(List<String> allowedHeaders) {
        this.allowedHeaders = allowedHeaders;
    }

    /**
     * Returns {@code exposedHeaders}: Response headers scripts may read.
     *
     * @return the value
     */
    public List<String> getExposedHeaders() {
        return exposedHeaders;
    }

    /**
     * Sets {@code exposedHeaders}: Response headers scripts may read.
     *
     * @param exposedHeaders the new value
     */
    public void setExposedHeaders(List<String> exposedHeaders) {
        this.exposedHeaders = exposedHeaders;
    }

    /**
     * Returns {@code allowCredentials}: Whether cookies and HTTP authentication may be sent (not with *).
     *
     * @return the value
     */
    public boolean isAllowCredentials() {
        return allowCredentials;
    }

    /**
     * Sets {@code allowCredentials}: Whether cookies and HTTP authentication may be sent (not with *).
     *
     * @param allowCredentials the new value
     */
    public void setAllowCredentials(boolean allowCredentials) {
        this.allowCredentials = allowCredentials;
    }

    /**
     * Returns {@code maxAge}: How long browsers may cache a preflight answer.
     *
     * @return the value
     */
    public Duration getMaxAge() {
        return maxAge;
    }

    /**
     * Sets {@code maxAge}: How long browsers may cache a preflight answer.
     *
     * @param maxAge the new value
     */
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }
}
