/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A response a protocol handler produced: status, headers and either a small body (protocol responses are JSON of a
 * few kilobytes at most) or streamed content (the bytes of a download, never held in memory). Adapters copy it to
 * their response type.
 *
 * @param status the HTTP status
 * @param headers header names mapped to values, in insertion order; unmodifiable
 * @param body the body bytes, empty for none (and when there is content)
 * @param content the streamed body, if any
 */
public record HttpResponse(
        int status, Map<String, List<String>> headers, byte[] body, Optional<ResponseContent> content) {

    /**
     * Validates and copies the components.
     *
     * @param status the HTTP status
     * @param headers header names mapped to values, in insertion order; unmodifiable
     * @param body the body bytes, empty for none (and when there is content)
     * @param content the streamed body, if any
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there are both body bytes and content
     */
    public HttpResponse {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(content, "content");
        if (body.length > 0 && content.isPresent()) {
            throw new IllegalArgumentException("a response has body bytes or streamed content, not both");
        }
    }

    /**
     * Creates a response without streamed content.
     *
     * @param status the HTTP status
     * @param headers header names mapped to values
     * @param body the body bytes, empty for none
     * @throws NullPointerException if a component is null
     */
    public HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, Optional.empty());
    }

    /**
     * Starts a response with a status.
     *
     * @param status the HTTP status
     * @return a builder
     */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /**
     * Returns the first value of a header, looked up case-insensitively.
     *
     * @param name the header name
     * @return the first value, or null
     */
    public String header(String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /**
     * Returns the body as UTF-8 text.
     *
     * @return the body text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Builds an {@link HttpResponse}. Not thread-safe. */
    public static final class Builder {
        private final int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private ResponseContent content;

        private Builder(int status) {
            this.status = status;
        }

        /**
         * Sets a header, replacing earlier values.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.remove(existing(name));
            headers.put(name, new ArrayList<>(List.of(value)));
            return this;
        }

        /**
         * Adds a header value.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder addHeader(String name, String value) {
            String key = existing(name);
            headers.computeIfAbsent(key == null ? name : key, k -> new ArrayList<>())
                    .add(value);
            return this;
        }

        /**
         * Sets a body; the caller sets its {@code Content-Type}.
         *
         * @param bytes the body, not null; not copied
         * @return this builder
         */
        public Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "bytes");
            this.content = null;
            return this;
        }

        /**
         * Sets streamed content in place of body bytes; the caller sets its {@code Content-Type}, the adapter its
         * {@code Content-Length}.
         *
         * @param content the content, not null
         * @return this builder
         */
        public Builder content(ResponseContent content) {
            this.content = Objects.requireNonNull(content, "content");
            this.body = new byte[0];
            return this;
        }

        /**
         * Sets a JSON body and its content type.
         *
         * @param json UTF-8 JSON
         * @return this builder
         */
        public Builder json(byte[] json) {
            header("Content-Type", "application/json; charset=utf-8");
            this.body = json;
            this.content = null;
            return this;
        }

        /**
         * Builds the response.
         *
         * @return the response
         */
        public HttpResponse build() {
            return new HttpResponse(status, headers, body, Optional.ofNullable(content));
        }

        private String existing(String name) {
            for (String key : headers.keySet()) {
                if (key.equalsIgnoreCase(name)) {
                    return key;
                }
            }
            return null;
        }
    }
}
