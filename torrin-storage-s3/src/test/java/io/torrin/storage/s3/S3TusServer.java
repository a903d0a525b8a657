/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.AppendStatus;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.CorsPolicy;
import io.torrin.server.http.DownloadOptions;
import io.torrin.server.http.ResumableProtocolHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.testkit.tus.TusUploads;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * tus and the IETF resumable-upload draft on S3 end to end: Jetty with the servlet adapter at {@code /files} (tus)
 * and {@code /resumable} (the draft), the service, the S3 driver, S3Mock; with download options also the Torrin
 * protocol at {@code /torrin/uploads}, it and tus serving downloads.
 */
final class S3TusServer implements AutoCloseable {

    final S3Client s3;
    final FileUploadStore store;
    final UploadService service;
    private final Server jetty;
    private final ServerConnector connector;

    S3TusServer(String keyPrefix) throws Exception {
        this(S3Mock.get().client(), keyPrefix, Files.createTempDirectory("torrin-s3-tus"));
    }

    S3TusServer(S3Client s3, String keyPrefix, Path sessions) throws Exception {
        this(s3, keyPrefix, sessions, Optional.empty(), Optional.empty());
    }

    /**
     * A server that serves downloads through both protocols.
     *
     * @param keyPrefix the driver's key prefix
     * @param downloads the download options
     * @param presigner a presigner for the driver's direct URLs, or empty
     */
    S3TusServer(String keyPrefix, DownloadOptions downloads, Optional<S3Presigner> presigner) throws Exception {
        this(
                S3Mock.get().client(),
                keyPrefix,
                Files.createTempDirectory("torrin-s3-downloads"),
                Optional.of(downloads),
                presigner);
    }

    private S3TusServer(
            S3Client s3,
            String keyPrefix,
            Path sessions,
            Optional<DownloadOptions> downloads,
            Optional<S3Presigner> presigner)
            throws Exception {
        this.s3 = s3;
        this.store = FileUploadStore.create(sessions);
        S3StorageDriver.Builder driver =
                S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix(keyPrefix);
        presigner.ifPresent(driver::presigner);
        this.service =
                UploadService.builder().storage(driver.build()).store(store).build();
        TusProtocolHandler.Builder tus = TusProtocolHandler.builder(service).cors(CorsPolicy.allowOrigins("*"));
        TorrinProtocolHandler.Builder torrin = TorrinProtocolHandler.builder(service);
        downloads.ifPresent(options -> {
            tus.downloads(options);
            torrin.downloads(options);
        });
        this.jetty = new Server();
        this.connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new TorrinServlet(tus.build())), "/files/*");
        if (downloads.isPresent()) {
            context.addServlet(new ServletHolder(new TorrinServlet(torrin.build())), "/torrin/uploads/*");
        }
        context.addServlet(
                new ServletHolder(new TorrinServlet(ResumableProtocolHandler.builder(service)
                        .cors(CorsPolicy.allowOrigins("*"))
                        .build())),
                "/resumable/*");
        jetty.setHandler(context);
        jetty.start();
    }

    URI creationUrl() {
        return url("/files");
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** The creation URL of the IETF resumable-upload draft, served beside tus on the same service. */
    URI resumableUrl() {
        return url("/resumable");
    }

    AppendStatus status(URI uploadUrl) {
        return TusUploads.status(service, uploadUrl);
    }

    Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        AppendStatus status = status(uploadUrl);
        if (status.location().isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = S3Mock.open(s3, status.location().get())) {
            return Optional.of(in.readAllBytes());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            service.close();
            store.close();
            s3.close();
        }
    }
}
