/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to tell the server about one file, and who listens. Immutable and thread-safe; build with
 * {@link #builder()}.
 */
public final class UploadOptions {

    private static final UploadOptions DEFAULTS = builder().build();

    private final String fileName;
    private final String mimeType;
    private final Map<String, String> metadata;
    private final UploadListener listener;

    private UploadOptions(Builder builder) {
        this.fileName = builder.fileName;
        this.mimeType = builder.mimeType;
        this.metadata = Map.copyOf(builder.metadata);
        this.listener = builder.listener;
    }

    /**
     * Returns the options with nothing set: the file's own name, no type, no metadata, no listener.
     *
     * @return the defaults
     */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the file name to send.
     *
     * @return the name, or empty to send the file's own name
     */
    public Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /**
     * Returns the media type to send.
     *
     * @return the type, or empty
     */
    public Optional<String> mimeType() {
        return Optional.ofNullable(mimeType);
    }

    /**
     * Returns the metadata to send.
     *
     * @return an unmodifiable map, never null
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the listener.
     *
     * @return the listener; a no-op one if none was set
     */
    public UploadListener listener() {
        return listener;
    }

    /** Builds {@link UploadOptions}; not thread-safe. */
    public static final class Builder {

        private String fileName;
        private String mimeType;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private UploadListener listener = new UploadListener() {};

        private Builder() {}

        /**
         * Sets the file name sent to the server (default: the file's own name).
         *
         * @param name the name, or null for the default
         * @return this builder
         */
        public Builder fileName(String name) {
            this.fileName = name;
            return this;
        }

        /**
         * Sets the media type sent to the server.
         *
         * @param type the type, or null for none
         * @return this builder
         */
        public Builder mimeType(String type) {
            this.mimeType = type;
            return this;
        }

        /**
         * Adds one metadata entry.
         *
         * @param key the key, not null
         * @param value the value, not null
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets the listener.
         *
         * @param listener the listener, not null
         * @return this builder
         */
        public Builder listener(UploadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public UploadOptions build() {
            return new UploadOptions(this);
        }
    }
}
