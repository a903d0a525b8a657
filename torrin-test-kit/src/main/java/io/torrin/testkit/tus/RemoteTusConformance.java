/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import io.torrin.testkit.SuiteLauncher;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The tus conformance kit against the server named by system properties; run by {@link TusConformanceMain}.
 */
public class RemoteTusConformance extends TusProtocolConformanceKit {

    /** The system property naming the creation URL. */
    public static final String URL_PROPERTY = "torrin.tus.conformance.url";
    /** The system property giving the server's {@code Tus-Max-Size}. */
    public static final String MAX_SIZE_PROPERTY = "torrin.tus.conformance.maxSize";
    /**
     * The optional system property naming a directory where the server keeps each complete upload's bytes in a
     * file named by the upload's id (the last segment of its URL); when set, stored bytes are compared.
     */
    public static final String STORED_DIR_PROPERTY = "torrin.tus.conformance.storedDir";
    /** The optional system property that, set to {@code true}, makes the CORS tests check that no origin is granted. */
    public static final String NO_CORS_PROPERTY = "torrin.tus.conformance.noCors";

    @Override
    protected boolean corsEnabled() {
        return !Boolean.getBoolean(NO_CORS_PROPERTY);
    }

    @Override
    protected URI creationUrl() {
        String url = Objects.requireNonNull(System.getProperty(URL_PROPERTY), URL_PROPERTY + " is not set");
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    @Override
    protected long maxSize() {
        return Long.parseLong(
                Objects.requireNonNull(System.getProperty(MAX_SIZE_PROPERTY), MAX_SIZE_PROPERTY + " is not set"));
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return SuiteLauncher.storedBytes(STORED_DIR_PROPERTY, uploadUrl);
    }
}
