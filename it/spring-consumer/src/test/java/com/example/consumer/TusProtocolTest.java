/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package com.example.consumer;

import io.torrin.core.AppendStatus;
import io.torrin.server.UploadService;
import io.torrin.server.spi.StorageDriver;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.testkit.tus.TusProtocolConformanceKit;
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

/** The tus 1.0 conformance suite against the consumer app's tus mount on a random port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TusProtocolTest extends TusProtocolConformanceKit {

    @LocalServerPort
    int port;

    @Autowired
    StorageDriver storage;

    @Autowired
    UploadService service;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("torrin-consumer-tus");
        registry.add("torrin.storage.local.directory", () -> data.resolve("files").toString());
        registry.add("torrin.lock-timeout", () -> "5s");
    }

    @Override
    protected URI creationUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/tus");
    }

    @Override
    protected long maxSize() {
        return service.maxFileSize();
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        AppendStatus status = TusUploads.status(service, uploadUrl);
        if (status.location().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Files.readAllBytes(((LocalStorageDriver) storage).resolve(status.location().get())));
    }
}
