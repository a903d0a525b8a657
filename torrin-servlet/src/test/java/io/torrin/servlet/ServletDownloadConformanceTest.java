/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.http.DownloadOptions;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.DownloadConformanceKit;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download conformance kit against the servlet adapter on Jetty 12 with local storage, through the Torrin
 * route and tus (async servlet); plus the adapter's choice of how to send the bytes on a container without
 * sendfile.
 */
class ServletDownloadConformanceTest extends DownloadConformanceKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;
    private static final SendfileProbe PROBE = new SendfileProbe();

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(directory, "/app", Optional.of(DownloadOptions.defaults()), server -> {
            server.context.addFilter(new FilterHolder(PROBE), "/*", EnumSet.of(DispatcherType.REQUEST));
            server.mountTusAndTorrin();
        });
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
    protected Optional<URI> tusUrl() {
        return Optional.of(jetty.url("/app/files"));
    }

    @Test
    @DisplayName("Jetty offers no sendfile: the adapter streams whole files and ranges itself, byte for byte")
    void jettyWhenDownloadingThenTheAdapterCopiesTheBytes() throws Exception {
        Uploaded upload = upload("copied.bin", "application/octet-stream", TestFiles.randomBytes(200_000));
        String whole = UUID.randomUUID().toString();
        HttpResponse<byte[]> answer = fetch("GET", upload.url(), "X-Probe", whole);
        assertThat(TestFiles.sha256(answer.body())).isEqualTo(TestFiles.sha256(upload.data()));
        assertThat(PROBE.seen(whole)).isEqualTo(new SendfileProbe.Seen(false, Optional.empty()));
        String range = UUID.randomUUID().toString();
        HttpResponse<byte[]> part = fetch("GET", upload.url(), "X-Probe", range, "Range", "bytes=65530-131080");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(TestFiles.sha256(part.body()))
                .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(upload.data(), 65530, 131081)));
        assertThat(PROBE.seen(range)).isEqualTo(new SendfileProbe.Seen(false, Optional.empty()));
    }
}
