/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.client.TestServer;
import io.torrin.core.StorageLocation;
import io.torrin.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch job's remote mode against a real server, killed with {@code kill -9} halfway and started again. */
class RemoteBatchUploadTest {

    @TempDir
    Path directory;

    @Test
    void runWhenKilledHalfwayThenTheNextRunSkipsFinishedFilesAndResumesTheRest() throws Exception {
        try (TestServer server = new TestServer(directory.resolve("server"))) {
            Path source = Files.createDirectories(directory.resolve("source/nested"));
            Path first = TestServer.randomFile(source.getParent(), "a-first.bin", 200_000, 1);
            Path big = TestServer.randomFile(source.getParent(), "b-big.bin", 3_000_000, 2);
            Path last = TestServer.randomFile(source, "c-last.bin", 100_000, 3);
            Files.createFile(source.resolve("empty.bin"));
            server.faults.on("PUT", ".*/chunks/[0-9]+").delay(Duration.ofMillis(30), Duration.ofMillis(60));
            List<String> arguments = List.of(
                    "--server",
                    server.endpoint().toString(),
                    source.getParent().toString(),
                    "3",
                    directory.resolve("state").toString());
            String firstDone;
            try (ChildJvm run =
                    ChildJvm.start(BatchUpload.class, List.of("-Xmx64m"), arguments, directory.resolve("1.log"))) {
                firstDone = run.awaitLine(line -> line.contains("a-first.bin: done"), Duration.ofSeconds(30));
                run.awaitLine(line -> line.contains("b-big.bin:  30%"), Duration.ofSeconds(30));
                run.kill();
            }
            server.faults.clear();
            try (ChildJvm again =
                    ChildJvm.start(BatchUpload.class, List.of("-Xmx64m"), arguments, directory.resolve("2.log"))) {
                List<String> lines = new ArrayList<>(List.of(firstDone));
                String line;
                do {
                    line = again.awaitLine(l -> true, Duration.ofSeconds(60));
                    lines.add(line);
                } while (!line.contains(" uploaded, "));
                assertThat(lines).anyMatch(l -> l.endsWith("a-first.bin: skipped (already uploaded)"));
                assertThat(lines).anyMatch(l -> l.matches(".*b-big\\.bin: resuming at [3-9][0-9]%"));
                assertThat(lines).anyMatch(l -> l.contains("b-big.bin: done (resumed)"));
                assertThat(lines).anyMatch(l -> l.endsWith("empty.bin: skipped (empty)"));
                assertThat(lines).last().isEqualTo("2 uploaded, 0 failed, 3,100,000 bytes");
                for (Path file : List.of(first, big, last)) {
                    String done = lines.stream()
                            .filter(l -> l.contains(file.getFileName() + ": done"))
                            .findFirst()
                            .orElseThrow();
                    String path = done.substring(done.lastIndexOf(' ') + 1);
                    Path stored = server.storage.resolve(new StorageLocation("local", Map.of("path", path)));
                    assertThat(TestServer.sha256(stored)).isEqualTo(TestServer.sha256(file));
                }
            }
        }
    }
}
