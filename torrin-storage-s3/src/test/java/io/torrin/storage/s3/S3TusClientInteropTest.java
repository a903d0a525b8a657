/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.AppendStatus;
import io.torrin.testsupport.tus.TusClientInteropKit;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real tus clients against tus on S3 (S3Mock). The clients send 2 MiB PATCHes, less than an S3 part, so parts
 * are assembled from temporary tail objects plus new bytes, and the last part from tail objects alone.
 */
@ExtendWith(S3Mock.class)
class S3TusClientInteropTest extends TusClientInteropKit {

    private static S3TusServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TusServer("tus-interop/");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    protected URI creationUrl() {
        return server.creationUrl();
    }

    @Override
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return server.storedBytes(uploadUrl);
    }

    @Override
    protected AppendStatus status(URI uploadUrl) {
        return server.status(uploadUrl);
    }

    @Override
    protected int chunkSize() {
        return 2 * 1024 * 1024;
    }
}
