/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.client.TestServer;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in process against a real server (Jetty, servlet adapter, local storage, file store). */
class TorrinCliTest {

    @TempDir
    Path directory;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(directory.resolve("server"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** What a run printed and returned. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run torrin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TorrinCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> upload(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "upload",
                "--server",
                server.endpoint().toString(),
                "--resume-dir",
                directory.resolve("resume").toString()));
        args.addAll(List.of(more));
        return args;
    }

    private String stored(JsonNode file) throws Exception {
        JsonNode location = file.path("location");
        return TestServer.sha256(server.storage.resolve(new StorageLocation(
                location.path("type").asText(),
                Map.of("path", location.path("path").asText()))));
    }

    @Test
    void uploadWhenGivenADirectoryAndAFileThenUploadsEveryFileWithItsRelativePath() throws Exception {
        Path tree = Files.createDirectories(directory.resolve("tree/sub/deeper"));
        Path a = TestServer.randomFile(directory.resolve("tree"), "a.bin", 300_000, 1);
        Path b = TestServer.randomFile(directory.resolve("tree/sub"), "b.bin", 70_000, 2);
        Path c = TestServer.randomFile(tree, "c.bin", 1, 3);
        Path single = TestServer.randomFile(directory, "single.bin", 123_456, 4);
        Run run = torrin(
                upload("--json", "--parallel", "3", directory.resolve("tree").toString(), single.toString())
                        .toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode summary = run.json();
        assertThat(summary.path("uploaded").asInt()).isEqualTo(4);
        assertThat(summary.path("failed").asInt()).isZero();
        Map<String, Path> sources =
                Map.of(a.toString(), a, b.toString(), b, c.toString(), c, single.toString(), single);
        for (JsonNode file : summary.path("files")) {
            Path source = sources.get(file.path("path").asText());
            assertThat(file.path("status").asText()).isEqualTo("uploaded");
            assertThat(file.path("sha256").asText()).isEqualTo(TestServer.sha256(source));
            assertThat(stored(file)).isEqualTo(TestServer.sha256(source));
        }
        String bId = summary.path("files").findParents("path").stream()
                .filter(node -> node.path("path").asText().equals(b.toString()))
                .findFirst()
                .orElseThrow()
                .path("uploadId")
                .asText();
        assertThat(server.status(bId).session().metadata()).containsEntry("relativePath", "sub/b.bin");
    }

    @Test
    void uploadWhenNotOnATerminalThenPrintsALinePerFileAndASummary() throws Exception {
        Path file = TestServer.randomFile(directory, "plain.bin", 200_000, 5);
        Run run = torrin(upload(file.toString()).toArray(String[]::new));
        assertThat(run.code()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .containsPattern("uploaded .*plain\\.bin \\(195\\.3 KiB\\) as [a-z2-7]{32}")
                .contains("1 of 1 files uploaded");
    }

    @Test
    void uploadWhenBarsAreAskedForThenDrawsABarPerFileAndATotal() throws Exception {
        server.faults.on("PUT", ".*/chunks/[0-9]+").delay(Duration.ofMillis(60), Duration.ofMillis(60));
        Path file = TestServer.randomFile(directory, "bars.bin", 1_000_000, 12);
        Run run = torrin(
                upload("--progress", "bars", "--parallel", "2", file.toString()).toArray(String[]::new));
        assertThat(run.code()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .containsPattern("bars\\.bin +\\[#* *\\] +[0-9.]+% ")
                .containsPattern("total +\\[#* *\\]")
                .contains("\u001b[1A\u001b[2K", "uploaded ");
    }

    @Test
    void uploadWhenTheServerRefusesOneFileThenExitsWithThePartialFailureCode() throws Exception {
        server.close();
        server = new TestServer(directory.resolve("small"), builder -> builder.maxFileSize(100_000));
        Path small = TestServer.randomFile(directory, "small.bin", 50_000, 6);
        Path large = TestServer.randomFile(directory, "large.bin", 150_000, 7);
        Run run = torrin(upload("--json", small.toString(), large.toString()).toArray(String[]::new));
        assertThat(run.code()).isEqualTo(ExitCode.FAILED);
        JsonNode files = run.json().path("files");
        assertThat(files.get(0).path("status").asText()).isEqualTo("uploaded");
        assertThat(files.get(1).path("code").asText()).isEqualTo("FILE_TOO_LARGE");
    }

    @Test
    void uploadWhenTheServerIsUnreachableThenExitsWithItsCode() throws Exception {
        Path file = TestServer.randomFile(directory, "nowhere.bin", 1000, 8);
        String endpoint = server.endpoint().toString();
        server.close();
        Run run = torrin("upload", "--server", endpoint, "--retries", "2", "--no-resume", file.toString());
        assertThat(run.code()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.out()).contains("server unreachable");
        server = new TestServer(directory.resolve("again"));
    }

    @Test
    void usageWhenWrongThenExitsWithTheUsageCodeAndSaysWhy() throws Exception {
        Path file = TestServer.randomFile(directory, "usage.bin", 10, 9);
        assertThat(torrin("upload", file.toString()).err()).contains("--server");
        assertThat(torrin("upload", file.toString()).code()).isEqualTo(ExitCode.USAGE);
        assertThat(torrin("upload", "--server", server.endpoint().toString(), "--chunk-size", "lots", file.toString())
                        .code())
                .isEqualTo(ExitCode.USAGE);
        assertThat(torrin(
                                "upload",
                                "--server",
                                server.endpoint().toString(),
                                directory.resolve("missing").toString())
                        .code())
                .isEqualTo(ExitCode.USAGE);
        assertThat(torrin("frobnicate").code()).isEqualTo(ExitCode.USAGE);
        Run help = torrin("--help");
        assertThat(help.code()).isEqualTo(ExitCode.OK);
        assertThat(help.out()).contains("upload", "status", "abort", "Exit codes");
    }

    @Test
    void statusAndAbortWhenGivenAnUploadUrlOrIdThenReportAndAbort() throws Exception {
        String id = server.service
                .initUpload(InitUploadRequest.builder()
                        .fileSize(200_000)
                        .fileName("open.bin")
                        .build())
                .uploadId();
        Run byUrl = torrin("status", "--json", server.endpoint() + "/" + id);
        assertThat(byUrl.code()).as(byUrl.err()).isEqualTo(ExitCode.OK);
        assertThat(byUrl.json().path("status").asText()).isEqualTo("pending");
        assertThat(byUrl.json().path("missingChunks")).hasSize(4);
        Run byId = torrin("status", "--server", server.endpoint().toString(), id);
        assertThat(byId.out()).contains(id + ": pending, 0 B of 195.3 KiB in 0 of 4 chunks");
        Run abort = torrin("abort", server.endpoint() + "/" + id);
        assertThat(abort.code()).isEqualTo(ExitCode.OK);
        assertThat(server.status(id).session().state().name()).isEqualTo("CANCELED");
        Run unknown = torrin("status", "--server", server.endpoint().toString(), "abcdefghijklmnopqrstuvwxyz234567");
        assertThat(unknown.code()).isEqualTo(ExitCode.FAILED);
        assertThat(unknown.err()).contains("UPLOAD_NOT_FOUND");
    }
}
