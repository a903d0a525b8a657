/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadStatus;
import io.torrin.server.UploadService;
import io.torrin.server.UploadServiceBuilder;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.faults.FaultInjector;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real server for the client's tests: Jetty 12 on a free loopback port, the servlet adapter (async) behind the
 * fault injector, local storage and the durable file store.
 */
public final class TestServer implements AutoCloseable {

    public final FaultInjector faults = new FaultInjector(20261202L);
    public final LocalStorageDriver storage;
    final FileUploadStore store;
    public final UploadService service;
    private final Server server;
    private final ServerConnector connector;

    public TestServer(Path directory) throws Exception {
        this(directory, builder -> builder);
    }

    public TestServer(Path directory, UnaryOperator<UploadServiceBuilder> configure) throws Exception {
        storage = LocalStorageDriver.create(directory.resolve("files"));
        store = FileUploadStore.create(directory.resolve("sessions"));
        service = configure
                .apply(UploadService.builder()
                        .storage(storage)
                        .store(store)
                        .chunkSizeLimits(16 * 1024, 8 * 1024 * 1024)
                        .defaultChunkSize(64 * 1024)
                        .lockTimeout(Duration.ofSeconds(5)))
                .build();
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(5_000);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(faults.filter("/__faults"));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(
                new TorrinServlet(TorrinProtocolHandler.builder(service).build()));
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/torrin/uploads/*");
        server.setHandler(context);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/torrin/uploads");
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** The SHA-256 of a completed upload's stored file. */
    public String storedSha256(UploadResult result) throws IOException {
        Map<String, Object> location = result.location().orElseThrow();
        return sha256(storage.resolve(
                new StorageLocation((String) location.get("type"), Map.of("path", (String) location.get("path")))));
    }

    public UploadStatus status(String uploadId) {
        return service.getStatus(uploadId);
    }

    /** Writes a file of seeded random bytes ({@link TestFiles#seededStream}). */
    public static Path randomFile(Path directory, String name, long size, long seed) throws IOException {
        Path file = directory.resolve(name);
        try (InputStream in = TestFiles.seededStream(seed, 0, size)) {
            Files.copy(in, file);
        }
        return file;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return TestFiles.sha256(in);
        }
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
