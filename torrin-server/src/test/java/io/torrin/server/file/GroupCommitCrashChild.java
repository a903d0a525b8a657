/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process {@link GroupCommitCrashTest} kills: opens a {@link FileUploadStore} (fsync on) in the directory given,
 * creates one upload of {@value #CHUNKS} chunks and lets 8 threads mark distinct chunks of it as fast as the group
 * commit takes them. After each mark returns, the thread prints {@code ACK <index> .}; every 20 ms a line
 * {@code STATS <appends> <marks>} tells how many marks the log appends held. Runs until killed.
 */
public final class GroupCommitCrashChild {

    static final int CHUNKS = 1 << 16;
    static final int WRITERS = 8;

    private GroupCommitCrashChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        FileUploadStore store = FileUploadStore.create(Path.of(args[0]));
        Instant now = Instant.now();
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("crash.bin"),
                OptionalLong.of((long) CHUNKS * 1024),
                "crash.bin",
                Map.of(),
                1024,
                CHUNKS,
                UploadState.PENDING,
                now,
                now.plusSeconds(3600));
        store.create(UploadRecord.created(session, Map.of()));
        synchronized (out) {
            out.println("READY " + session.uploadId());
            out.flush();
        }
        for (int w = 0; w < WRITERS; w++) {
            int first = w;
            Thread writer = new Thread(() -> {
                for (int index = first; index < CHUNKS; index += WRITERS) {
                    store.markChunkReceived(session.uploadId(), index, now.plusSeconds(3600));
                    synchronized (out) {
                        out.println("ACK " + index + " .");
                        out.flush();
                    }
                }
            });
            writer.start();
        }
        while (true) {
            Thread.sleep(20);
            long[] commits = store.markCommits();
            synchronized (out) {
                out.println("STATS " + commits[0] + " " + commits[1]);
                out.flush();
            }
        }
    }
}
