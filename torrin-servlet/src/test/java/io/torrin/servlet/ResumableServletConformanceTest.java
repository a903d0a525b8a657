/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.testkit.ietf.ResumableUploadConformanceKit;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IETF resumable-upload conformance suite (-03, -05 and the latest revision) against
 * {@link io.torrin.server.http.ResumableProtocolHandler} mounted with {@link TorrinFilter} in a webapp on Jetty,
 * local disk and the file store; the stored bytes are read back for the SHA-256 comparisons.
 */
class ResumableServletConformanceTest extends ResumableUploadConformanceKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(directory, "/app", server -> {
            server.context.addFilter(
                    new FilterHolder(new TorrinFilter(server.resumableHandler, "/resumable")),
                    "/resumable/*",
                    EnumSet.of(DispatcherType.REQUEST));
            server.context.addServlet(new ServletHolder(new TorrinServlet(server.handler)), "/torrin/uploads/*");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Override
    protected URI creationUrl() {
        return jetty.url("/app/resumable");
    }

    @Override
    protected long maxSize() {
        return jetty.service.maxFileSize();
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return jetty.storedTusBytes(uploadUrl);
    }
}
