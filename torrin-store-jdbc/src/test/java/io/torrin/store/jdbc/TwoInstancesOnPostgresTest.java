/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.StorageLocation;
import io.torrin.server.UploadService;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.TwoInstanceScenario;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two server instances (separate services, stores and Jetty servers) on one PostgreSQL and one shared directory. */
class TwoInstancesOnPostgresTest {

    @TempDir
    Path shared;

    private final String prefix = Databases.uniquePrefix();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private URI instance() throws Exception {
        JdbcUploadStore store = JdbcUploadStore.builder(Databases.postgres())
                .tablePrefix(prefix)
                .createSchema(true)
                .build();
        UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(shared))
                .store(store)
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(
                new ServletHolder(
                        new TorrinServlet(TorrinProtocolHandler.builder(service).build())),
                "/torrin/uploads/*");
        server.setHandler(context);
        server.start();
        resources.add(store);
        resources.add(service);
        resources.add(server::stop);
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/torrin/uploads");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        Databases.dropTables(Databases.postgres(), prefix);
    }

    @Test
    void uploadWhenChunksAlternateBetweenInstancesAndBothCompleteThenOneFinalizeAndTheExactBytes() throws Exception {
        byte[] file = TestFiles.randomBytes(12 * 256 * 1024 + 999);
        JsonNode completed = new TwoInstanceScenario().run(instance(), instance(), file, 256 * 1024);
        Path stored = LocalStorageDriver.create(shared)
                .resolve(new StorageLocation(
                        "local",
                        Map.of("path", completed.get("location").get("path").asText())));
        assertThat(TestFiles.sha256(Files.readAllBytes(stored))).isEqualTo(TestFiles.sha256(file));
    }
}
