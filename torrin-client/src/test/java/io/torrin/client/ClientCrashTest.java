/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.StorageLocation;
import io.torrin.testsupport.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client process killed with {@code kill -9} halfway through an upload; started again, it resumes. */
class ClientCrashTest {

    private static final long SIZE = 3 * 1024 * 1024 + 4321; // 49 chunks of 64 KiB
    private static final long CHUNK = 64 * 1024;

    @TempDir
    Path directory;

    @Test
    void uploadWhenTheClientIsKilledHalfwayThenTheNextRunSendsOnlyWhatIsMissing() throws Exception {
        try (TestServer server = new TestServer(directory.resolve("server"))) {
            server.faults.on("PUT", ".*/chunks/[0-9]+").delay(Duration.ofMillis(40), Duration.ofMillis(80));
            Path file = TestServer.randomFile(directory, "crash.bin", SIZE, 99);
            List<String> arguments = List.of(
                    server.endpoint().toString(),
                    file.toString(),
                    directory.resolve("resume").toString());
            String id;
            try (ChildJvm first =
                    ChildJvm.start(UploadProcess.class, List.of("-Xmx64m"), arguments, directory.resolve("1.log"))) {
                id = first.awaitLine(line -> line.startsWith("STARTED "), Duration.ofSeconds(30))
                        .split(" ")[1];
                first.awaitLine(line -> line.equals("ACK 12"), Duration.ofSeconds(30));
                first.kill();
            }
            int received = server.status(id).chunks().count();
            assertThat(received).isBetween(12, 48);
            long missing = SIZE - received * CHUNK;
            server.faults.clear();
            try (ChildJvm second =
                    ChildJvm.start(UploadProcess.class, List.of("-Xmx64m"), arguments, directory.resolve("2.log"))) {
                assertThat(second.awaitLine(line -> line.startsWith("STARTED "), Duration.ofSeconds(30)))
                        .isEqualTo("STARTED " + id + " true");
                String[] done = second.awaitLine(line -> line.startsWith("DONE "), Duration.ofSeconds(60))
                        .split(" ");
                long sent = Long.parseLong(done[1]);
                assertThat(sent).as("bytes sent by the second run").isLessThanOrEqualTo(missing + 4 * CHUNK);
                assertThat(sent).isGreaterThanOrEqualTo(missing - 4 * CHUNK);
                assertThat(done[2]).isEqualTo(TestServer.sha256(file));
                Path stored = server.storage.resolve(new StorageLocation("local", Map.of("path", done[3])));
                assertThat(TestServer.sha256(stored)).isEqualTo(TestServer.sha256(file));
            }
            assertThat(server.status(id).session().state().name()).isEqualTo("COMPLETED");
        }
    }
}
