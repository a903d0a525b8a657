/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The protocol conformance suite against {@link TorrinServlet} in Jetty 12, under a context path. */
class TorrinServletConformanceTest extends TorrinProtocolConformanceKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(
                directory,
                "/app",
                server -> server.context.addServlet(
                        new ServletHolder(new TorrinServlet(server.handler)), "/torrin/uploads/*"));
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Override
    protected URI mountUrl() {
        return jetty.url("/app/torrin/uploads");
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return jetty.storedBytes(location);
    }
}
