/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.testkit.tus.TusProtocolConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tus conformance suite against {@link TorrinServlet} serving tus on Jetty, local disk and the file store. The
 * servlet is registered with async support, so request bodies are read with the non-blocking API
 * ({@code AsyncRequestBody}); the filter-based tests cover blocking reads.
 */
class TusServletConformanceTest extends TusProtocolConformanceKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(directory, "/app", JettyServer::mountTusAndTorrin);
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Override
    protected URI creationUrl() {
        return jetty.url("/app/files");
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
