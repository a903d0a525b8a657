/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.torrin.core.AppendStatus;
import io.torrin.core.ChunkRequest;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.UploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the code shown in README.md and docs/ identical to compiled, tested sources: every fenced block under a
 * {@code <!-- snippet: NAME -->} marker must equal the region between {@code snippet:NAME} and {@code end:NAME}
 * comments in some file under {@code examples/} (Java, properties, ...). Also runs {@link DocSnippets}.
 */
class DocumentationSnippetsTest {

    private static final Path ROOT = Path.of("../..");
    private static final Pattern MARKED_BLOCK =
            Pattern.compile("<!-- snippet: ([a-z-]+) -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION_START = Pattern.compile("^([ \\t]*)(?://|#) snippet:([a-z-]+)\\s*$");

    @TempDir
    Path dir;

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new HashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> p.toString().matches(".*\\.(java|properties)$"))
                    .toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher start = REGION_START.matcher(lines.get(i));
                    if (!start.matches()) {
                        continue;
                    }
                    String indent = start.group(1);
                    String name = start.group(2);
                    StringBuilder region = new StringBuilder();
                    int j = i + 1;
                    while (j < lines.size() && !lines.get(j).trim().matches("(//|#) end:" + name)) {
                        String line = lines.get(j);
                        region.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
                                .append('\n');
                        j++;
                    }
                    assertThat(j).as("end:%s in %s", name, file).isLessThan(lines.size());
                    assertThat(regions.put(name, region.toString()))
                            .as("snippet %s defined twice", name)
                            .isNull();
                }
            }
        }
        return regions;
    }

    @Test
    void documentsWhenTheyShowMarkedSnippetsThenEachEqualsTheCompiledCode() throws IOException {
        Map<String, String> regions = regions();
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        int checked = 0;
        for (Path document : documents) {
            Matcher block = MARKED_BLOCK.matcher(Files.readString(document));
            while (block.find()) {
                String name = block.group(1);
                assertThat(regions).as("snippet %s shown in %s", name, document).containsKey(name);
                assertThat(block.group(2))
                        .as("snippet %s in %s", name, document)
                        .isEqualTo(regions.get(name));
                checked++;
            }
        }
        assertThat(checked).as("marked snippets found in the documents").isGreaterThanOrEqualTo(8);
    }

    @Test
    void serviceBuilderSnippetWhenRunThenServiceWorks() {
        try (UploadService service = DocSnippets.configuredService(dir)) {
            UploadSession session =
                    service.initUpload(InitUploadRequest.builder().fileSize(20).build());
            assertThat(session.chunkSize()).isEqualTo(8 * 1024 * 1024);
            DocSnippets.sendChunk(service, session.uploadId(), 0, 20, new ByteArrayInputStream(new byte[19]));
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
            DocSnippets.sendChunk(service, session.uploadId(), 0, 20, new ByteArrayInputStream(new byte[20]));
            assertThat(service.completeUpload(session.uploadId()).location().attribute("path"))
                    .hasValueSatisfying(p -> assertThat(p).startsWith(session.uploadId() + "/"));
            assertThatThrownBy(() -> DocSnippets.sendChunk(
                            service, session.uploadId(), 0, 20, new ByteArrayInputStream(new byte[20])))
                    .isInstanceOf(TorrinException.class);
        }
    }

    @Test
    void operationsSnippetsWhenRunThenMetersCountTheUploadTheHookAddsItsFieldAndShutdownIsIdle() throws Exception {
        byte[] bytes = new byte[70_000];
        new SecureRandom().nextBytes(bytes);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UploadService service = DocSnippets.instrumentedService(dir, registry);
        AppendStatus status = DocSnippets.appendUpload(service, bytes);
        Path file =
                dir.resolve(status.location().orElseThrow().attribute("path").orElseThrow());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        assertThat(sha256.digest(Files.readAllBytes(file))).isEqualTo(sha256.digest(bytes));
        assertThat(registry.get("torrin.uploads.completed")
                        .tag("service", "avatars")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("torrin.upload.received").counter().count()).isEqualTo(bytes.length);
        assertThat(DocSnippets.stop(service)).isTrue();

        try (UploadService hooked = UploadService.builder()
                .storage(LocalStorageDriver.create(dir.resolve("hooked")))
                .store(InMemoryUploadStore.create())
                .hook(DocSnippets.completionFields())
                .build()) {
            AppendStatus done = DocSnippets.appendUpload(hooked, bytes);
            assertThat(done.responseFields()).containsExactly(Map.entry("fileUrl", "/files/" + done.uploadId()));
        }
    }

    @Test
    void downloadSnippetsWhenRunThenTheOwnerReadsTheExactBytesAndOthersSeeNothing() throws Exception {
        byte[] bytes = new byte[70_000];
        new SecureRandom().nextBytes(bytes);
        try (UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(dir.resolve("files")))
                .store(InMemoryUploadStore.create())
                .hook(DocSnippets.ownerDownloads())
                .build()) {
            assertThat(DocSnippets.downloadingHandler(service)).isNotNull();
            String id = service.initUpload(InitUploadRequest.builder()
                            .fileSize(bytes.length)
                            .putMetadata("owner", "alice")
                            .build())
                    .uploadId();
            service.handleChunk(ChunkRequest.of(id, 0, bytes.length, new ByteArrayInputStream(bytes)));
            service.completeUpload(id);
            Principal alice = () -> "alice";
            assertThatThrownBy(() -> DocSnippets.readBack(service, id, dir.resolve("copy")))
                    .isInstanceOf(TorrinException.class)
                    .extracting(e -> ((TorrinException) e).code())
                    .isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
            assertThat(service.downloads().open(id, RequestContext.of(alice)).length())
                    .isEqualTo(bytes.length);
        }
        try (UploadService open = UploadService.builder()
                .storage(LocalStorageDriver.create(dir.resolve("open")))
                .store(InMemoryUploadStore.create())
                .build()) {
            AppendStatus status = DocSnippets.appendUpload(open, bytes);
            Path copy = dir.resolve("copy.bin");
            DocSnippets.readBack(open, status.uploadId(), copy);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            assertThat(sha256.digest(Files.readAllBytes(copy))).isEqualTo(sha256.digest(bytes));
        }
    }

    @Test
    void appendUploadSnippetWhenRunThenTheFileIsCompletedWithItsBytes() throws Exception {
        byte[] bytes = new byte[70_000];
        new SecureRandom().nextBytes(bytes);
        try (UploadService service = DocSnippets.configuredService(dir)) {
            AppendStatus status = DocSnippets.appendUpload(service, bytes);
            assertThat(status.offset()).isEqualTo(bytes.length);
            assertThat(status.session().state()).isEqualTo(UploadState.COMPLETED);
            Path file = dir.resolve(
                    status.location().orElseThrow().attribute("path").orElseThrow());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            assertThat(sha256.digest(Files.readAllBytes(file))).isEqualTo(sha256.digest(bytes));
        }
    }

    @Test
    void hooksSnippetWhenRunThenOnlyTheOwnerMayWrite() {
        UploadHooks hooks = DocSnippets.ownerOnlyHooks();
        try (UploadStore store = DocSnippets.openStore(dir);
                UploadService service = UploadService.builder()
                        .store(store)
                        .storage(LocalStorageDriver.create(dir))
                        .hook(hooks)
                        .build()) {
            Principal alice = () -> "alice";
            Principal bob = () -> "bob";
            assertThatThrownBy(() -> service.initUpload(
                            InitUploadRequest.builder().fileSize(5).build()))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
            UploadSession session =
                    service.initUpload(InitUploadRequest.builder().fileSize(5).build(), RequestContext.of(alice));
            assertThat(session.metadata()).isEqualTo(Map.of("owner", "alice"));
            assertThatThrownBy(() -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, 5, new ByteArrayInputStream(new byte[5])),
                            RequestContext.of(bob)))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            service.handleChunk(
                    ChunkRequest.of(session.uploadId(), 0, 5, new ByteArrayInputStream(new byte[5])),
                    RequestContext.of(alice));
            assertThat(service.completeUpload(session.uploadId(), Optional.empty(), RequestContext.of(alice))
                            .session()
                            .state())
                    .isEqualTo(UploadState.COMPLETED);
        }
    }
}
