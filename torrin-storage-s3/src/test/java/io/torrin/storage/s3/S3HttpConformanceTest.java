/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.StorageLocation;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** The HTTP conformance suite end to end on S3: Jetty, the servlet adapter, the service, the S3 driver, S3Mock. */
@ExtendWith(S3Mock.class)
class S3HttpConformanceTest extends TorrinProtocolConformanceKit {

    private static S3Client s3;
    private static FileUploadStore store;
    private static UploadService service;
    private static Server jetty;
    private static ServerConnector connector;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Mock.get().client();
        store = FileUploadStore.create(Files.createTempDirectory("torrin-s3-http"));
        service = UploadService.builder()
                .storage(S3StorageDriver.builder(s3, S3Mock.BUCKET)
                        .keyPrefix("http")
                        .build())
                .store(store)
                .build();
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(
                new ServletHolder(
                        new TorrinServlet(TorrinProtocolHandler.builder(service).build())),
                "/torrin/uploads/*");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            jetty.stop();
        } finally {
            service.close();
            store.close();
            s3.close();
        }
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/torrin/uploads");
    }

    @Override
    protected boolean wholeFileHashSupported() {
        return false;
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        try (InputStream in = S3Mock.open(
                s3,
                new StorageLocation(
                        location.get("type").asText(),
                        Map.of(
                                "bucket",
                                location.get("bucket").asText(),
                                "key",
                                location.get("key").asText())))) {
            return Optional.of(in.readAllBytes());
        }
    }
}
