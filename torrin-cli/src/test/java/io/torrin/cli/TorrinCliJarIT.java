/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.client.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code torrin-cli.jar} as a user runs it: {@code --version}, and an upload killed with
 * {@code kill -9} halfway that the next run resumes, sending only what the server lacks.
 */
class TorrinCliJarIT {

    private static final Path JAR = Path.of("target", "torrin-cli.jar");
    private static final long CHUNK = 64 * 1024;

    @TempDir
    Path directory;

    private Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void versionWhenAskedThenNamesTheBuild() throws Exception {
        Path log = directory.resolve("version.log");
        Process process = start(log, "--version");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(log)).startsWith("torrin ").doesNotContain("development");
    }

    @Test
    void uploadWhenKilledHalfwayThenTheNextRunResumesWithTheMissingChunksOnly() throws Exception {
        try (TestServer server = new TestServer(directory.resolve("server"))) {
            server.faults.on("PUT", ".*/chunks/[0-9]+").delay(Duration.ofMillis(40), Duration.ofMillis(80));
            long size = 4 * 1024 * 1024 + 99;
            Path file = TestServer.randomFile(directory, "big.bin", size, 11);
            Path resume = directory.resolve("resume");
            String[] args = {
                "upload",
                "--server",
                server.endpoint().toString(),
                "--resume-dir",
                resume.toString(),
                "--json",
                file.toString()
            };
            Process first = start(directory.resolve("1.log"), args);
            String id = awaitId(resume);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.status(id).chunks().count() < 15 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int received = server.status(id).chunks().count();
            assertThat(received).isBetween(15, 64);
            long missing = size - received * CHUNK;
            server.faults.clear();
            Path log = directory.resolve("2.log");
            Process second = start(log, args);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(log)).isZero();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            JsonNode summary = new ObjectMapper().readTree(output.substring(output.indexOf('{')));
            JsonNode uploaded = summary.path("files").get(0);
            assertThat(uploaded.path("uploadId").asText()).isEqualTo(id);
            assertThat(uploaded.path("resumed").asBoolean()).isTrue();
            assertThat(uploaded.path("bytesSent").asLong()).isLessThanOrEqualTo(missing + 4 * CHUNK);
            assertThat(uploaded.path("sha256").asText()).isEqualTo(TestServer.sha256(file));
            assertThat(server.status(id).session().state().name()).isEqualTo("COMPLETED");
        }
    }

    /** The upload id the first run saved in its resume directory. */
    private static String awaitId(Path resume) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(resume)) {
                try (Stream<Path> files = Files.list(resume)) {
                    Optional<Path> saved =
                            files.filter(f -> f.toString().endsWith(".upload")).findFirst();
                    if (saved.isPresent()) {
                        return Files.readAllLines(saved.get()).get(0);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first run saved no upload id");
    }
}
