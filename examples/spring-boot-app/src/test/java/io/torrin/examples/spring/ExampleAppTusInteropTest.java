/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import io.torrin.core.AppendStatus;
import io.torrin.server.UploadService;
import io.torrin.testkit.tus.TusUploads;
import io.torrin.testsupport.tus.TusClientInteropKit;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Real tus clients (tus-java-client, tus-js-client under Node) against the example app's tus endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleAppTusInteropTest extends TusClientInteropKit {

    @LocalServerPort
    int port;

    @Autowired
    UploadService service;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        ExampleAppData.temporary(registry, "torrin-example-tus");
    }

    @Override
    protected URI creationUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/tus");
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return TusUploads.storedBytes(service, uploadUrl);
    }

    @Override
    protected AppendStatus status(URI uploadUrl) {
        return TusUploads.status(service, uploadUrl);
    }
}
