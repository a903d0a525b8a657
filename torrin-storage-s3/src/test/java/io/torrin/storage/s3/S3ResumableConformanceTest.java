/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.testkit.ietf.ResumableUploadConformanceKit;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IETF resumable-upload conformance suite (-03, -05, latest) end to end on S3. Its uploads are smaller than an
 * S3 part, so every append goes through the temporary tail objects.
 */
@ExtendWith(S3Mock.class)
class S3ResumableConformanceTest extends ResumableUploadConformanceKit {

    private static S3TusServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TusServer("ietf-conformance/");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    protected URI creationUrl() {
        return server.resumableUrl();
    }

    @Override
    protected long maxSize() {
        return server.service.maxFileSize();
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return server.storedBytes(uploadUrl);
    }
}
