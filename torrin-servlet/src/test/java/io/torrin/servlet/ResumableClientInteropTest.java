/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.core.AppendStatus;
import io.torrin.testkit.tus.TusUploads;
import io.torrin.testsupport.tus.ResumableClientInteropKit;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-js-client under Node in both IETF draft modes against the resumable-upload handler mounted with
 * {@link TorrinFilter} at {@code /resumable} in a Jetty web application, on local disk and the file store.
 */
class ResumableClientInteropTest extends ResumableClientInteropKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(
                directory,
                "/app",
                server -> server.context.addFilter(
                        new FilterHolder(new TorrinFilter(server.resumableHandler, "/resumable")),
                        "/*",
                        EnumSet.of(DispatcherType.REQUEST)));
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
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return jetty.storedTusBytes(uploadUrl);
    }

    @Override
    protected AppendStatus status(URI uploadUrl) {
        return TusUploads.status(jetty.service, uploadUrl);
    }
}
