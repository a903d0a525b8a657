/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.app;

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

/** The protocol conformance suite against the starter in a real Spring Boot app (Tomcat) on a random port. */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootConformanceTest extends TorrinProtocolConformanceKit {

    @LocalServerPort
    int port;

    @Autowired
    StorageDriver storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        Path directory = Files.createTempDirectory("torrin-spring-conformance");
        registry.add("torrin.storage.local.directory", directory::toString);
        registry.add("torrin.lock-timeout", () -> "5s");
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        Path file = ((LocalStorageDriver) storage)
                .resolve(new StorageLocation(
                        location.get("type").asText(),
                        Map.of("path", location.get("path").asText())));
        return Optional.of(Files.readAllBytes(file));
    }
}
