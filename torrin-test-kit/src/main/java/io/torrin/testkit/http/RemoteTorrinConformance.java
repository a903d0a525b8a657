/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import java.net.URI;
import java.util.Objects;

/**
 * The conformance kit against the URL in the system property {@code torrin.conformance.url}; run by
 * {@link ConformanceMain}.
 */
public class RemoteTorrinConformance extends TorrinProtocolConformanceKit {

    /** The system property naming the mount URL. */
    public static final String URL_PROPERTY = "torrin.conformance.url";
    /** The system property that, set to {@code false}, tells the suite the server refuses whole-file hashes. */
    public static final String FILE_HASH_PROPERTY = "torrin.conformance.fileHash";

    @Override
    protected boolean wholeFileHashSupported() {
        return !"false".equals(System.getProperty(FILE_HASH_PROPERTY));
    }

    @Override
    protected URI mountUrl() {
        String url = Objects.requireNonNull(System.getProperty(URL_PROPERTY), URL_PROPERTY + " is not set");
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
