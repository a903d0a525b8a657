/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.client.TestServer;
import io.torrin.client.UploadResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the client code docs/client.md shows against a real server. */
class ClientExampleTest {

    @TempDir
    Path directory;

    @Test
    void uploadOneWhenRunThenTheServerHoldsTheFileWithItsMetadata() throws Exception {
        String home = System.getProperty("user.home");
        System.setProperty("user.home", directory.resolve("home").toString());
        try (TestServer server = new TestServer(directory.resolve("server"))) {
            Path file = TestServer.randomFile(directory, "doc.bin", 700_000, 21);
            UploadResult result = ClientExample.uploadOne(server.endpoint(), file, "secret");
            assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
            assertThat(server.status(result.uploadId()).session().metadata()).containsEntry("project", "apollo");
        } finally {
            System.setProperty("user.home", home);
        }
    }
}
