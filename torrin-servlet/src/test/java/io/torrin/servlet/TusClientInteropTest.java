/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.core.AppendStatus;
import io.torrin.testkit.tus.TusUploads;
import io.torrin.testsupport.tus.TusClientInteropKit;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
 * The real tus clients (tus-java-client, tus-js-client under Node) against tus mounted with {@link TorrinFilter} at
 * {@code /files} in a Jetty web application at {@code /app}, beside the Torrin protocol at {@code /torrin/uploads}
 * and the application's own servlet, on local disk and the file store.
 */
class TusClientInteropTest extends TusClientInteropKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(directory, "/app", server -> {
            server.context.addServlet(
                    new ServletHolder(new HttpServlet() {
                        @Override
                        protected void service(HttpServletRequest request, HttpServletResponse response)
                                throws IOException {
                            response.setContentType("text/plain");
                            response.getWriter()
                                    .write("application " + request.getMethod() + " " + request.getRequestURI());
                        }
                    }),
                    "/*");
            server.context.addFilter(
                    new FilterHolder(new TorrinFilter(server.tusHandler, "/files")),
                    "/*",
                    EnumSet.of(DispatcherType.REQUEST));
            server.context.addFilter(
                    new FilterHolder(new TorrinFilter(server.handler, "/torrin/uploads")),
                    "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        });
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
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return jetty.storedTusBytes(uploadUrl);
    }

    @Override
    protected AppendStatus status(URI uploadUrl) {
        return TusUploads.status(jetty.service, uploadUrl);
    }
}
