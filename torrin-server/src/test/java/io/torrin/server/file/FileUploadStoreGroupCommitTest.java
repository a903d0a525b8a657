/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.support.GroupCommit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit of chunk marks, the state log and the number of forces per operation in {@link FileUploadStore}. */
class FileUploadStoreGroupCommitTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path directory;

    private static UploadRecord record(int total) {
        return FileUploadStoreTest.record(total);
    }

    @Test
    void marksArrivingDuringACommitShareTheNextAppendAndForce() throws Exception {
        UploadRecord record = record(16);
        String id = record.uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            long forcesBefore = store.forces();
            List<Future<Boolean>> marks = new ArrayList<>();
            CountDownLatch queued = new CountDownLatch(1);
            store.whileLocked(id, () -> {
                // the first mark leads and waits for the upload's monitor; seven more queue behind it
                marks.add(pool.submit(() -> store.markChunkReceived(id, 0, T0.plusSeconds(100))));
                awaitWaiting(1, "markChunkReceived", false);
                for (int i = 1; i < 8; i++) {
                    int index = i;
                    marks.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100 + index))));
                }
                awaitWaiting(7, "submit", true);
                queued.countDown();
            });
            assertThat(queued.getCount()).isZero();
            for (Future<Boolean> mark : marks) {
                assertThat(mark.get(10, TimeUnit.SECONDS)).isTrue();
            }

            // two appends, each forced once: the leader's alone, then the seven queued marks together
            assertThat(store.markCommits()).containsExactly(2, 8);
            assertThat(store.forces() - forcesBefore).isEqualTo(2);
            UploadRecord found = store.find(id).orElseThrow();
            assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(16, 0, 1, 2, 3, 4, 5, 6, 7));
            assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(107));
        } finally {
            pool.shutdownNow();
        }
        try (FileUploadStore reopened = FileUploadStore.create(directory)) {
            assertThat(reopened.find(id).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(16, 0, 1, 2, 3, 4, 5, 6, 7));
        }
    }

    @Test
    void concurrentMarksWithDuplicatesGiveExactlyOneTruePerChunkAndAllSurviveReopening() throws Exception {
        int total = 600;
        UploadRecord record = record(total);
        String id = record.uploadId();
        List<Integer> work = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            work.add(i);
            if (i % 3 == 0) {
                work.add(i);
            }
        }
        Collections.shuffle(work, new Random(ThreadLocalRandom.current().nextLong()));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        int[] trues = new int[total];
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int index : work) {
                results.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(index))));
            }
            for (int i = 0; i < work.size(); i++) {
                if (results.get(i).get(30, TimeUnit.SECONDS)) {
                    trues[work.get(i)]++;
                }
            }
            long[] commits = store.markCommits();
            assertThat(commits[1]).isEqualTo(total);
            assertThat(commits[0]).isBetween(1L, (long) total);
            UploadRecord found = store.find(id).orElseThrow();
            assertThat(found.receivedChunks().isComplete()).isTrue();
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(total - 1));
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < total; i++) {
            assertThat(trues[i]).as("marks of chunk %d that reported it new", i).isEqualTo(1);
        }
        try (FileUploadStore reopened = FileUploadStore.create(directory)) {
            UploadRecord found = reopened.find(id).orElseThrow();
            assertThat(found.receivedChunks().isComplete()).isTrue();
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(total - 1));
        }
    }

    @Test
    void aBatchGivesEachMarkItsOwnOutcome() throws Exception {
        UploadRecord record = record(4);
        String id = record.uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            store.markChunkReceived(id, 1, T0.plusSeconds(100));
            List<Future<Boolean>> marks = new ArrayList<>();
            store.whileLocked(id, () -> {
                marks.add(pool.submit(() -> store.markChunkReceived(id, 0, T0.plusSeconds(100))));
                awaitWaiting(1, "markChunkReceived", false);
                marks.add(pool.submit(() -> store.markChunkReceived(id, 1, T0.plusSeconds(100))));
                marks.add(pool.submit(() -> store.markChunkReceived(id, 2, T0.plusSeconds(100))));
                marks.add(pool.submit(() -> store.markChunkReceived(id, 2, T0.plusSeconds(100))));
                awaitWaiting(3, "submit", true);
            });
            assertThat(marks.get(0).get(10, TimeUnit.SECONDS)).isTrue();
            // the three queued marks share one batch: chunk 1 was there, chunk 2 is new once
            assertThat(marks.get(1).get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(List.of(
                            marks.get(2).get(10, TimeUnit.SECONDS), marks.get(3).get(10, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder(true, false);

            assertThat(store.transition(id, UploadState.IN_PROGRESS, UploadState.CANCELED, T0, Optional.empty()))
                    .isTrue();
            assertThatThrownBy(() -> store.markChunkReceived(id, 3, T0))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_CANCELED));
            store.delete(id);
            assertThatThrownBy(() -> store.markChunkReceived(id, 3, T0))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aOneChunkUploadCostsFourForcesFromCreationToCompletion() {
        UploadRecord record = record(1);
        String id = record.uploadId();
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            long before = store.forces();
            store.create(record);
            // the session file and the directory (which also holds the logs created empty with it)
            assertThat(store.forces() - before).isEqualTo(2);
            store.markChunkReceived(id, 0, T0.plusSeconds(100));
            // one append to an existing log: no directory force
            assertThat(store.forces() - before).isEqualTo(3);
            assertThat(store.transition(
                            id,
                            UploadState.IN_PROGRESS,
                            UploadState.COMPLETED,
                            T0.plusSeconds(500),
                            Optional.of(new StorageLocation("local", Map.of("path", "a/b")))))
                    .isTrue();
            // one append to the state log
            assertThat(store.forces() - before).isEqualTo(4);
        }
    }

    @Test
    void stateChangesAreAppendedAndTheLastIntactOneCountsAfterReopening() throws IOException {
        UploadRecord record = record(2);
        String id = record.uploadId();
        StorageLocation location = new StorageLocation("local", Map.of("path", "a/b"));
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            store.markChunkReceived(id, 0, T0.plusSeconds(100));
            store.markChunkReceived(id, 1, T0.plusSeconds(100));
            store.transition(
                    id, UploadState.IN_PROGRESS, UploadState.IN_PROGRESS, T0.plusSeconds(200), Optional.empty());
            store.transition(
                    id, UploadState.IN_PROGRESS, UploadState.COMPLETED, T0.plusSeconds(300), Optional.of(location));
        }
        Path state = directory.resolve(id + ".state");
        long intact = Files.size(state);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord found = store.find(id).orElseThrow();
            assertThat(found.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(300));
            assertThat(found.location()).contains(location);
            assertThat(found.receivedChunks().isComplete()).isTrue();
        }

        // a torn third record (a crash in the middle of its append) is cut; the completed state still counts
        try (FileChannel channel = FileChannel.open(state, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, '{', '"'}));
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(id).orElseThrow().session().state()).isEqualTo(UploadState.COMPLETED);
        }
        assertThat(Files.size(state)).isEqualTo(intact);

        // a garbled last record: the one before it (still in progress, expiry moved) counts
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length - 6] ^= 0x5a;
        Files.write(state, bytes);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord found = store.find(id).orElseThrow();
            assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(200));
            assertThat(found.location()).isEmpty();
            assertThat(store.delete(id)).isTrue();
        }
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(id)))
                    .isEmpty();
        }
    }

    @Test
    void aGarbledFirstStateRecordFallsBackToTheSessionFile() throws IOException {
        UploadRecord record = record(2);
        String id = record.uploadId();
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            store.transition(id, UploadState.PENDING, UploadState.CANCELED, T0.plusSeconds(9), Optional.empty());
        }
        Path state = directory.resolve(id + ".state");
        byte[] bytes = Files.readAllBytes(state);
        bytes[6] ^= 0x21;
        Files.write(state, bytes);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(id).orElseThrow().session().state()).isEqualTo(UploadState.PENDING);
        }
        assertThat(Files.size(state)).isZero();
    }

    @Test
    void aStoreDirectoryWrittenBeforeTheLogsWerePrecreatedStillOpensAndTakesMarks() throws IOException {
        UploadRecord record = record(3);
        String id = record.uploadId();
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
        }
        // the layout of earlier versions: a session file and nothing else
        Files.delete(directory.resolve(id + ".chunks"));
        Files.delete(directory.resolve(id + ".state"));
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            long before = store.forces();
            assertThat(store.markChunkReceived(id, 2, T0.plusSeconds(100))).isTrue();
            // the log is new: its append and the directory
            assertThat(store.forces() - before).isEqualTo(2);
            assertThat(store.transition(id, UploadState.IN_PROGRESS, UploadState.CANCELED, T0, Optional.empty()))
                    .isTrue();
            assertThat(store.forces() - before).isEqualTo(4);
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord found = store.find(id).orElseThrow();
            assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(3, 2));
            assertThat(found.session().state()).isEqualTo(UploadState.CANCELED);
        }
    }

    /** Waits until {@code count} threads wait (blocked on a monitor or parked) in the named method. */
    static void awaitWaiting(int count, String method, boolean inGroupCommit) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long waiting = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getState() == Thread.State.WAITING
                            || e.getKey().getState() == Thread.State.BLOCKED)
                    .filter(e -> {
                        StackTraceElement[] frames = e.getValue();
                        for (StackTraceElement frame : frames) {
                            if (inGroupCommit
                                    && frame.getClassName().equals(GroupCommit.class.getName())
                                    && frame.getMethodName().equals(method)) {
                                return e.getKey().getState() == Thread.State.WAITING;
                            }
                            if (!inGroupCommit
                                    && frame.getClassName().equals(FileUploadStore.class.getName())
                                    && frame.getMethodName().equals("commitMarks")) {
                                return e.getKey().getState() == Thread.State.BLOCKED;
                            }
                        }
                        return false;
                    })
                    .count();
            if (waiting >= count) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("fewer than " + count + " threads waiting in " + method);
    }
}
