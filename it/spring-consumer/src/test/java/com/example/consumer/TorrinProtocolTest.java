/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package com.example.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Torrin protocol conformance suite against the consumer app on a random port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TorrinProtocolTest extends TorrinProtocolConformanceKit {

    @LocalServerPort
    int port;

    @Autowired
    StorageDriver storage;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("torrin-consumer");
        registry.add("torrin.storage.local.directory", () -> data.resolve("files").toString());
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return Optional.of(Files.readAllBytes(((LocalStorageDriver) storage)
                .resolve(new StorageLocation(
                        location.get("type").asText(), Map.of("path", location.get("path").asText())))));
    }
}
