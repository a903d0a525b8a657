/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.server.Downloads;
import io.torrin.server.UploadService;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings every protocol handler's builder shares: the engine, CORS, forwarded headers and how much of a
 * refused body is drained. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ProtocolHandlerBuilder<B extends ProtocolHandlerBuilder<B>> {

    final UploadService service;
    CorsPolicy cors = CorsPolicy.disabled();
    boolean trustForwardedHeaders;
    long maxDrainBytes = RequestBodies.DEFAULT_MAX_DRAIN_BYTES;
    Optional<DownloadOptions> downloads = Optional.empty();

    ProtocolHandlerBuilder(UploadService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets the cross-origin policy. Default: disabled (no CORS headers). Its default allowed and exposed headers
     * include those of the Torrin protocol and of tus.
     *
     * @param cors the policy, not null
     * @return this builder
     */
    public B cors(CorsPolicy cors) {
        this.cors = Objects.requireNonNull(cors, "cors");
        return self();
    }

    /**
     * Sets whether {@code Location} URLs follow {@code Forwarded} / {@code X-Forwarded-*} headers. Default
     * {@code false}; enable only behind a proxy that sets them.
     *
     * @param trust whether to trust forwarded headers
     * @return this builder
     */
    public B trustForwardedHeaders(boolean trust) {
        this.trustForwardedHeaders = trust;
        return self();
    }

    /**
     * Switches on downloads of completed uploads (the Torrin protocol's {@code GET}/{@code HEAD {id}/content}, tus's
     * {@code GET}/{@code HEAD} of an upload URL) with these options. Default: off (those routes do not exist). The
     * service's storage must read completed files ({@link io.torrin.server.UploadService#downloads()}); building the
     * handler fails otherwise. Who may download what is decided by
     * {@link io.torrin.server.UploadHooks#beforeDownload}.
     *
     * @param options the options, not null
     * @return this builder
     */
    public B downloads(DownloadOptions options) {
        this.downloads = Optional.of(Objects.requireNonNull(options, "options"));
        return self();
    }

    /** The engine's downloads when they are switched on; fails at build time if the storage cannot read files. */
    Optional<Downloads> downloadsOrFail() {
        return downloads.map(options -> service.downloads());
    }

    /**
     * Sets how many bytes of a rejected request's unread body are read and discarded so that the client can
     * finish sending and read the error; beyond that the connection is closed after the response. Default
     * 16 MiB.
     *
     * @param bytes zero or more
     * @return this builder
     */
    public B maxDrainBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxDrainBytes must not be negative");
        }
        this.maxDrainBytes = bytes;
        return self();
    }
}
