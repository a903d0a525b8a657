/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.server.http.DownloadOptions;
import io.torrin.testkit.http.DownloadConformanceKit;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The download conformance kit on S3, streamed through the application: Jetty, the servlet adapter (Torrin
 * protocol and tus), the service, the S3 driver's HeadObject and ranged GetObject, S3Mock. Files span several
 * multipart parts, so ranges cross part boundaries.
 */
@ExtendWith(S3Mock.class)
class S3DownloadConformanceTest extends DownloadConformanceKit {

    private static S3TusServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TusServer("downloads/", DownloadOptions.defaults(), Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    protected URI mountUrl() {
        return server.url("/torrin/uploads");
    }

    @Override
    protected Optional<URI> tusUrl() {
        return Optional.of(server.creationUrl());
    }

    @Override
    protected boolean wholeFileHashSupported() {
        return false;
    }
}
