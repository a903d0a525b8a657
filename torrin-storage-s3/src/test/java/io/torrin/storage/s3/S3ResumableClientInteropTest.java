/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.AppendStatus;
import io.torrin.testsupport.tus.ResumableClientInteropKit;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * tus-js-client in both IETF draft modes against the resumable-upload handler on S3, with appends of 2 MiB (below
 * the 5 MiB S3 part minimum, so parts are assembled from tail objects) and files of 8 MiB and 17 bytes.
 */
@ExtendWith(S3Mock.class)
class S3ResumableClientInteropTest extends ResumableClientInteropKit {

    private static S3TusServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TusServer("ietf-interop/");
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
