/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a client asks for when it starts an upload. Immutable and thread-safe; build it with {@link #builder()}.
 *
 * <p>The builder checks nothing but nullness: the service validates every field (a missing or non-positive
 * file size, a hostile file name, oversized metadata) and answers with a {@link TorrinException}, the same way
 * for Java callers and HTTP clients.
 *
 * <pre>{@code
 * InitUploadRequest request = InitUploadRequest.builder()
 *     .fileName("video.mp4").fileSize(100_000_000L).mimeType("video/mp4")
 *     .metadata(Map.of("userId", "123"))
 *     .build();
 * }</pre>
 */
public final class InitUploadRequest {

    private final String fileName;
    private final Long fileSize;
    private final String mimeType;
    private final Map<String, String> metadata;
    private final Long desiredChunkSize;

    private InitUploadRequest(Builder builder) {
        this.fileName = builder.fileName;
        this.fileSize = builder.fileSize;
        this.mimeType = builder.mimeType;
        this.metadata = UploadSession.orderedCopy(builder.metadata);
        this.desiredChunkSize = builder.desiredChunkSize;
    }

    /**
     * Starts a builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this request's values, for hooks that rewrite a request.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.fileName = fileName;
        builder.fileSize = fileSize;
        builder.mimeType = mimeType;
        builder.metadata.putAll(metadata);
        builder.desiredChunkSize = desiredChunkSize;
        return builder;
    }

    /**
     * Returns the client's file name.
     *
     * @return the name, or empty if none was given
     */
    public Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /**
     * Returns the declared file size.
     *
     * @return the size in bytes, or empty if none was given
     */
    public OptionalLong fileSize() {
        return fileSize == null ? OptionalLong.empty() : OptionalLong.of(fileSize);
    }

    /**
     * Returns the declared MIME type.
     *
     * @return the type, or empty if none was given
     */
    public Optional<String> mimeType() {
        return Optional.ofNullable(mimeType);
    }

    /**
     * Returns the client's metadata.
     *
     * @return an unmodifiable map, never null
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the chunk size the client wishes for; the service treats it as a wish and clamps it.
     *
     * @return the wished size in bytes, or empty to let the service choose
     */
    public OptionalLong desiredChunkSize() {
        return desiredChunkSize == null ? OptionalLong.empty() : OptionalLong.of(desiredChunkSize);
    }

    @Override
    public String toString() {
        return "InitUploadRequest[fileName=" + fileName + ", fileSize=" + fileSize + ", mimeType=" + mimeType
                + ", metadata=" + metadata.keySet() + ", desiredChunkSize=" + desiredChunkSize + "]";
    }

    /** Builds an {@link InitUploadRequest}. Not thread-safe. */
    public static final class Builder {
        private String fileName;
        private Long fileSize;
        private String mimeType;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Long desiredChunkSize;

        private Builder() {}

        /**
         * Sets the client's file name (a base name, not a path).
         *
         * @param fileName the name, or null for none
         * @return this builder
         */
        public Builder fileName(String fileName) {
            this.fileName = fileName;
            return this;
        }

        /**
         * Sets the file size.
         *
         * @param fileSize the size in bytes
         * @return this builder
         */
        public Builder fileSize(long fileSize) {
            this.fileSize = fileSize;
            return this;
        }

        /**
         * Sets the MIME type.
         *
         * @param mimeType a type such as {@code video/mp4}, or null for none
         * @return this builder
         */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**
         * Replaces the metadata.
         *
         * @param metadata string keys and values, not null; copied
         * @return this builder
         * @throws NullPointerException if a key or value is null
         */
        public Builder metadata(Map<String, String> metadata) {
            Objects.requireNonNull(metadata, "metadata");
            this.metadata.clear();
            metadata.forEach(this::putMetadata);
            return this;
        }

        /**
         * Adds one metadata entry.
         *
         * @param key the key, not null
         * @param value the value, not null
         * @return this builder
         */
        public Builder putMetadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets the chunk size the client wishes for.
         *
         * @param desiredChunkSize the wished size in bytes
         * @return this builder
         */
        public Builder desiredChunkSize(long desiredChunkSize) {
            this.desiredChunkSize = desiredChunkSize;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return a new immutable request
         */
        public InitUploadRequest build() {
            return new InitUploadRequest(this);
        }
    }
}
