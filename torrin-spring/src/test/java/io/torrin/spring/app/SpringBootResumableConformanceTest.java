/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.app;

import io.torrin.server.UploadService;
import io.torrin.testkit.ietf.ResumableUploadConformanceKit;
import io.torrin.testkit.tus.TusUploads;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The IETF resumable-upload conformance suite (-03, -05, latest) against the starter's mount of the draft in a real
 * Spring Boot app (Tomcat), random port.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootResumableConformanceTest extends ResumableUploadConformanceKit {

    @LocalServerPort
    int port;

    @Autowired
    UploadService service;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        Path directory = Files.createTempDirectory("torrin-spring-resumable");
        registry.add("torrin.storage.local.directory", directory::toString);
        registry.add("torrin.lock-timeout", () -> "5s");
        registry.add("torrin.resumable.path", () -> "/api/resumable");
        registry.add("torrin.cors.allowed-origins", () -> "*");
    }

    @Override
    protected URI creationUrl() {
        return URI.create("http://127.0.0.1:" + port + "/api/resumable");
    }

    @Override
    protected long maxSize() {
        return service.maxFileSize();
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return TusUploads.storedBytes(service, uploadUrl);
    }
}
