/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadStatus;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's direct-usage example, compiled and run: the block between the {@code README} markers is copied
 * verbatim into README.md (with {@code Path.of("./uploads")} standing for {@code uploads}).
 */
class ReadmeExampleTest {

    @TempDir
    Path uploads;

    @Test
    void readmeExampleWhenRunThenUploadsAndAborts() throws Exception {
        byte[] file = new byte[100_000_000];
        new Random().nextBytes(file);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        Path uploadDir = uploads;

        // README:begin
        UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(uploadDir))
                .store(FileUploadStore.create(uploadDir.resolve(".torrin"))) // or InMemoryUploadStore.create()
                .build();
        UploadSession session = service.initUpload(InitUploadRequest.builder()
                .fileName("video.mp4")
                .fileSize(100_000_000L)
                .mimeType("video/mp4")
                .metadata(Map.of("userId", "123"))
                .build());
        for (int i = 0; i < session.totalChunks(); i++) { // any order, any number of threads
            long size = session.expectedChunkSize(i); // chunkSize, the last one shorter
            try (InputStream chunk = new ByteArrayInputStream(file, (int) session.offsetOf(i), (int) size)) {
                service.handleChunk(ChunkRequest.of(session.uploadId(), i, size, chunk)); // optional hash overload
            }
        }
        UploadStatus status = service.getStatus(session.uploadId()); // receivedChunks(), missingChunks()
        CompleteResult result = service.completeUpload(session.uploadId()); // or a whole-file SHA-256 hex
        // README:end

        assertThat(status.missingChunks()).isEmpty();
        assertThat(session.chunkSize()).isEqualTo(1_048_576L);
        Path stored = LocalStorageDriver.create(uploadDir).resolve(result.location());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(stored))))
                .isEqualTo(sha256);

        UploadSession other =
                service.initUpload(InitUploadRequest.builder().fileSize(10).build());
        service.abortUpload(other.uploadId());
        assertThatThrownBy(() -> service.handleChunk(
                        ChunkRequest.of(other.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10]))))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_CANCELED);
                    assertThat(e.statusCode()).isEqualTo(409);
                });
        service.close();
    }

    @Test
    void readmeWhenItShowsTheDirectApiThenItIsExactlyTheTestedBlock() throws Exception {
        String test = Files.readString(Path.of("src/test/java/io/torrin/examples/direct/ReadmeExampleTest.java"));
        String tested = test.substring(
                test.indexOf("// README:begin\n") + "// README:begin\n".length(),
                test.indexOf("        // README:end"));
        String expected = tested.replaceAll("(?m)^        ", "")
                .replace("uploadDir.resolve(\".torrin\")", "Path.of(\"./uploads/.torrin\")")
                .replace("create(uploadDir)", "create(Path.of(\"./uploads\"))")
                .replace("new ByteArrayInputStream(file, (int) session.offsetOf(i), (int) size)", "openChunk(i)");
        String readme = Files.readString(Path.of("../../README.md"));
        assertThat(readme).contains("```java\n" + expected + "```");
    }
}
