/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.webapp;

import io.torrin.core.AppendStatus;
import io.torrin.testkit.tus.TusProtocolConformanceKit;
import io.torrin.testkit.tus.TusUploads;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The tus conformance suite against the example webapp's tus filter (async-supported, beside its own servlets). */
class ExistingWebappTusTest extends TusProtocolConformanceKit {

    @TempDir
    static Path data;

    private static ExistingWebapp app;

    @BeforeAll
    static void start() throws Exception {
        app = ExistingWebapp.start("127.0.0.1", 0, data);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Override
    protected URI creationUrl() {
        return URI.create("http://127.0.0.1:" + app.port() + ExistingWebapp.TUS_PATH);
    }

    @Override
    protected long maxSize() {
        return app.service().maxFileSize();
    }

    @Override
    protected boolean corsEnabled() {
        return false;
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        AppendStatus status = TusUploads.status(app.service(), uploadUrl);
        return status.location().isEmpty()
                ? Optional.empty()
                : Optional.of(Files.readAllBytes(
                        app.storage().resolve(status.location().get())));
    }
}
