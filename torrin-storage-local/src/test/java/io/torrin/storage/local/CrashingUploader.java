/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.ChunkRequest;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadSession;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: uploads a seeded random file with the file store and the
 * local driver, printing {@code ACK <index>} after each acknowledged chunk, until it is killed. It never
 * completes the upload.
 */
public final class CrashingUploader {

    private CrashingUploader() {}

    /**
     * Runs the upload.
     *
     * @param args base directory, seed, file size, chunk size
     */
    public static void main(String[] args) {
        Path base = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int fileSize = Integer.parseInt(args[2]);
        long chunkSize = Long.parseLong(args[3]);
        byte[] file = TestFiles.randomBytes(fileSize, seed);
        UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(base))
                .store(FileUploadStore.create(base.resolve(".torrin")))
                .sweepInterval(Duration.ZERO)
                .build();
        UploadSession session = service.initUpload(InitUploadRequest.builder()
                .fileName("crash.bin")
                .fileSize(fileSize)
                .desiredChunkSize(chunkSize)
                .build());
        System.out.println("ID " + session.uploadId());
        System.out.flush();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < session.totalChunks(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        for (int index : order) {
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), index);
            service.handleChunk(ChunkRequest.of(
                    session.uploadId(), index, chunk.length, new ByteArrayInputStream(chunk), TestFiles.sha256(chunk)));
            System.out.println("ACK " + index);
            System.out.flush();
        }
        System.out.println("ALL");
        System.out.flush();
    }
}
