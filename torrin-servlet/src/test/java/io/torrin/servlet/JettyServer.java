/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.AppendStatus;
import io.torrin.core.StorageLocation;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.UploadServiceBuilder;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.CorsPolicy;
import io.torrin.server.http.DownloadOptions;
import io.torrin.server.http.ResumableProtocolHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.tus.TusUploads;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 on a free loopback port, serving a Torrin handler on local storage and the file store. */
final class JettyServer implements AutoCloseable {

    final LocalStorageDriver storage;
    final FileUploadStore store;
    final UploadService service;
    final TorrinProtocolHandler handler;
    final TusProtocolHandler tusHandler;
    final ResumableProtocolHandler resumableHandler;
    private final Server server;
    private final ServerConnector connector;

    JettyServer(Path directory, String contextPath, Consumer<JettyServer> mount) throws Exception {
        this(directory, contextPath, Optional.empty(), mount);
    }

    /** A server whose handlers serve downloads with the given options (none without them). */
    JettyServer(Path directory, String contextPath, Optional<DownloadOptions> downloads, Consumer<JettyServer> mount)
            throws Exception {
        this(directory, contextPath, downloads, List.of(), mount);
    }

    /** A server whose handlers serve downloads with the given options, and whose service runs these hooks. */
    JettyServer(
            Path directory,
            String contextPath,
            Optional<DownloadOptions> downloads,
            List<UploadHooks> hooks,
            Consumer<JettyServer> mount)
            throws Exception {
        this.storage = LocalStorageDriver.create(directory);
        this.store = FileUploadStore.create(directory.resolve(".torrin"));
        UploadServiceBuilder builder =
                UploadService.builder().storage(storage).store(store).lockTimeout(Duration.ofSeconds(5));
        hooks.forEach(builder::hook);
        this.service = builder.build();
        TorrinProtocolHandler.Builder torrin =
                TorrinProtocolHandler.builder(service).cors(CorsPolicy.allowOrigins("https://app.example"));
        TusProtocolHandler.Builder tus = TusProtocolHandler.builder(service).cors(CorsPolicy.allowOrigins("*"));
        downloads.ifPresent(options -> {
            torrin.downloads(options);
            tus.downloads(options);
        });
        this.handler = torrin.build();
        this.tusHandler = tus.build();
        this.resumableHandler = ResumableProtocolHandler.builder(service)
                .cors(CorsPolicy.allowOrigins("*"))
                .build();
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        this.context = new ServletContextHandler(contextPath);
        mount.accept(this);
        server.setHandler(context);
        server.start();
    }

    final ServletContextHandler context;

    /**
     * Mounts tus at {@code /files} (async servlet, so bodies are read with the non-blocking API) and the Torrin
     * protocol at {@code /torrin/uploads}, below the context path.
     */
    void mountTusAndTorrin() {
        ServletHolder tus = new ServletHolder(new TorrinServlet(tusHandler));
        tus.setAsyncSupported(true);
        context.addServlet(tus, "/files/*");
        context.addServlet(new ServletHolder(new TorrinServlet(handler)), "/torrin/uploads/*");
    }

    Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        StorageLocation stored = new StorageLocation(
                location.get("type").asText(),
                Map.of("path", location.get("path").asText()));
        return Optional.of(Files.readAllBytes(storage.resolve(stored)));
    }

    /**
     * Reads the stored file of a completed tus upload.
     *
     * @param uploadUrl the upload's URL; its last path segment is the upload id
     * @return the bytes, or empty if the upload is not completed
     */
    Optional<byte[]> storedTusBytes(URI uploadUrl) throws IOException {
        AppendStatus status = TusUploads.status(service, uploadUrl);
        if (status.location().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Files.readAllBytes(storage.resolve(status.location().get())));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            service.close();
            store.close();
        }
    }
}
