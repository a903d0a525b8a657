/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a protocol handler serves completed uploads (the Torrin protocol's {@code GET {id}/content}, tus's
 * {@code GET} of an upload URL). Downloads are off unless a handler's builder is given options
 * ({@link ProtocolHandlerBuilder#downloads}). Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Defaults: {@code Cache-Control: private, no-cache} (browsers may keep a copy but revalidate it with its
 * {@code ETag}, shared caches keep none); every file is sent as an attachment; bytes stream through this server.
 */
public final class DownloadOptions {

    private final String cacheControl;
    private final Set<String> inlineTypes;
    private final Optional<Duration> directUrlValidity;

    private DownloadOptions(Builder builder) {
        this.cacheControl = builder.cacheControl;
        this.inlineTypes = Set.copyOf(builder.inlineTypes);
        this.directUrlValidity = builder.directUrlValidity;
    }

    /**
     * Returns the default options.
     *
     * @return the defaults
     */
    public static DownloadOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the {@code Cache-Control} value of every download response.
     *
     * @return the value, never null
     */
    public String cacheControl() {
        return cacheControl;
    }

    /**
     * Returns the media types (lower case, without parameters) sent with {@code Content-Disposition: inline}
     * instead of {@code attachment}.
     *
     * @return the types, never null
     */
    public Set<String> inlineTypes() {
        return inlineTypes;
    }

    /**
     * Returns how long a direct URL (an S3 presigned GET) that a download is redirected to stays valid; empty when
     * downloads stream through this server.
     *
     * @return the validity, or empty
     */
    public Optional<Duration> directUrlValidity() {
        return directUrlValidity;
    }

    /** Builds {@link DownloadOptions}. Not thread-safe. */
    public static final class Builder {
        private String cacheControl = "private, no-cache";
        private Set<String> inlineTypes = Set.of();
        private Optional<Duration> directUrlValidity = Optional.empty();

        private Builder() {}

        /**
         * Sets the {@code Cache-Control} value of download responses, for example
         * {@code private, max-age=86400, immutable} (a completed upload's bytes never change). Default
         * {@code private, no-cache}.
         *
         * @param value the value, not null, without line breaks
         * @return this builder
         * @throws IllegalArgumentException if the value holds a control character
         */
        public Builder cacheControl(String value) {
            Objects.requireNonNull(value, "value");
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("cacheControl must not contain control characters");
            }
            this.cacheControl = value.trim();
            return this;
        }

        /**
         * Sets the media types a browser may show in place ({@code Content-Disposition: inline}); every other
         * file is an attachment. Default: none. Name only types that cannot run script in the page's origin when
         * rendered (images, PDF, plain text); never {@code text/html} or {@code image/svg+xml}.
         *
         * @param types media types such as {@code image/png}, not null
         * @return this builder
         */
        public Builder inlineTypes(Set<String> types) {
            this.inlineTypes = types.stream()
                    .map(type -> type.trim().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /**
         * Redirects downloads ({@code 307}) to a direct URL of the storage, valid this long, where the driver can
         * make one (S3 with a presigner); other drivers keep streaming. The download hooks run first; {@code HEAD}
         * and conditional requests are answered here. Default: off.
         *
         * @param validity how long the URL works, positive, not null
         * @return this builder
         * @throws IllegalArgumentException if the validity is not positive
         */
        public Builder directUrlValidity(Duration validity) {
            if (validity.isNegative() || validity.isZero()) {
                throw new IllegalArgumentException("directUrlValidity must be positive");
            }
            this.directUrlValidity = Optional.of(validity);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public DownloadOptions build() {
            return new DownloadOptions(this);
        }
    }
}
