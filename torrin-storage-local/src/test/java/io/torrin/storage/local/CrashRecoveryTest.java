/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadStatus;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.ChildJvm;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that uploads with the file store and the local driver ({@code SIGKILL}) in the middle of the
 * upload, then resumes from {@code getStatus} in this process: every chunk acknowledged before the kill must be
 * reported as received, and the completed file must match the source's SHA-256.
 */
class CrashRecoveryTest {

    private static final int FILE_SIZE = 48 * 1024 * 1024;
    private static final long CHUNK_SIZE = 256 * 1024;
    private static final int ACKS_BEFORE_KILL = 60;

    @TempDir
    Path base;

    @Test
    void resumeWhenUploaderWasKilledMidUploadThenAcknowledgedChunksSurviveAndFileMatches() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        Path uploads = base.resolve("uploads");
        String uploadId;
        Set<Integer> acknowledged = new HashSet<>();
        try (ChildJvm child = ChildJvm.start(
                CrashingUploader.class,
                List.of("-Xmx256m"),
                List.of(
                        uploads.toString(),
                        Long.toString(seed),
                        Integer.toString(FILE_SIZE),
                        Long.toString(CHUNK_SIZE)),
                base.resolve("child.log"))) {
            uploadId = child.awaitLine(line -> line.startsWith("ID "), Duration.ofSeconds(60))
                    .substring(3);
            while (acknowledged.size() < ACKS_BEFORE_KILL) {
                String ack = child.awaitLine(line -> line.startsWith("ACK "), Duration.ofSeconds(60));
                acknowledged.add(Integer.parseInt(ack.substring(4)));
            }
            child.kill();
        }

        byte[] file = TestFiles.randomBytes(FILE_SIZE, seed);
        try (FileUploadStore store = FileUploadStore.create(uploads.resolve(".torrin"));
                UploadService service = UploadService.builder()
                        .storage(LocalStorageDriver.create(uploads))
                        .store(store)
                        .sweepInterval(Duration.ZERO)
                        .build()) {
            UploadStatus status = service.getStatus(uploadId);
            assertThat(status.receivedChunks()).containsAll(acknowledged);
            assertThat(status.missingChunks()).as("the upload was interrupted").isNotEmpty();
            UploadSession session = status.session();
            for (int index : status.missingChunks()) {
                byte[] chunk = TestFiles.chunk(file, session.chunkSize(), index);
                service.handleChunk(ChunkRequest.of(uploadId, index, chunk.length, new ByteArrayInputStream(chunk)));
            }
            CompleteResult result = service.completeUpload(uploadId, TestFiles.sha256(file));
            Path stored = LocalStorageDriver.create(uploads).resolve(result.location());
            assertThat(TestFiles.sha256(Files.newInputStream(stored))).isEqualTo(TestFiles.sha256(file));
        }
    }
}
