/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkSet;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUploadStoreTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path directory;

    static UploadRecord record(int total) {
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("f.bin"),
                OptionalLong.of(total * 10L),
                "a/b",
                Map.of(),
                10,
                total,
                UploadState.PENDING,
                T0,
                T0.plusSeconds(60));
        return UploadRecord.created(session, Map.of());
    }

    private Path log(UploadRecord record) {
        return directory.resolve(record.uploadId() + ".chunks");
    }

    @Test
    void openWhenChunkLogHasTornTailThenEarlierMarksSurviveAndTailIsCut() throws IOException {
        UploadRecord record = record(10);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            for (int i = 0; i < 5; i++) {
                store.markChunkReceived(record.uploadId(), i, T0.plusSeconds(100 + i));
            }
        }
        Files.write(log(record), new byte[] {0, 0, 0, 7, 1, 2, 3}, StandardOpenOption.APPEND);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(10, 0, 1, 2, 3, 4));
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(104));
            assertThat(Files.size(log(record))).isEqualTo(5 * 16);
            store.markChunkReceived(record.uploadId(), 9, T0.plusSeconds(200));
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(record.uploadId()).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(10, 0, 1, 2, 3, 4, 9));
        }
    }

    @Test
    void openWhenOffsetLogHasTornTailThenTheLastWholeRecordCountsAndTailIsCut() throws IOException {
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.empty(),
                OptionalLong.of(1000),
                "a/b",
                Map.of(),
                100,
                10,
                UploadState.PENDING,
                T0,
                T0.plusSeconds(60));
        UploadRecord record = UploadRecord.createdForAppend(session, Map.of(), Map.of());
        Path offsets = directory.resolve(record.uploadId() + ".offsets");
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            store.advanceOffset(record.uploadId(), 0, 150, OptionalLong.empty(), T0.plusSeconds(100));
            store.advanceOffset(record.uploadId(), 150, 420, OptionalLong.empty(), T0.plusSeconds(130));
        }
        assertThat(Files.size(offsets)).isEqualTo(2 * 20);
        Files.write(offsets, new byte[] {0, 0, 0, 0, 0, 0, 3, (byte) 0xE8, 1, 2, 3}, StandardOpenOption.APPEND);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.offset()).hasValue(420);
            assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(130));
            assertThat(Files.size(offsets)).isEqualTo(2 * 20);
            assertThat(store.advanceOffset(record.uploadId(), 420, 1000, OptionalLong.empty(), T0.plusSeconds(140)))
                    .isTrue();
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(record.uploadId()).orElseThrow().offset()).hasValue(1000);
            assertThat(store.delete(record.uploadId())).isTrue();
            assertThat(offsets).doesNotExist();
        }
    }

    @Test
    void openWhenALogRecordIsCorruptThenReplayStopsThereAndNothingInvalidIsReported() throws IOException {
        UploadRecord record = record(10);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            for (int i = 0; i < 4; i++) {
                store.markChunkReceived(record.uploadId(), i, T0.plusSeconds(100));
            }
        }
        try (FileChannel channel = FileChannel.open(log(record), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9}), 2 * 16);
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(record.uploadId()).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(10, 0, 1));
        }
    }

    @Test
    void openWhenZeroFilledTailThenIgnored() throws IOException {
        UploadRecord record = record(3);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(record);
            store.markChunkReceived(record.uploadId(), 2, T0.plusSeconds(100));
        }
        Files.write(log(record), new byte[64], StandardOpenOption.APPEND);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(record.uploadId()).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(3, 2));
        }
    }

    @Test
    void createWhenDirectoryAlreadyOpenThenRefused() {
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThatThrownBy(() -> FileUploadStore.create(directory)).isInstanceOf(IllegalStateException.class);
        }
        FileUploadStore.create(directory).close();
    }

    @Test
    void openWhenLeftoversOfACrashExistThenTheyAreCleanedAndIgnored() throws IOException {
        UploadRecord kept = record(2);
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            store.create(kept);
        }
        String orphan = UploadIds.generate();
        Files.write(directory.resolve(orphan + ".chunks"), new byte[16]);
        Files.write(directory.resolve(kept.uploadId() + ".session.json.tmp"), new byte[] {'{'});
        Files.write(directory.resolve(UploadIds.generate() + ".session.json"), "not json".getBytes());
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(kept.uploadId())).contains(kept);
            assertThat(store.findExpired(Instant.MAX, 10)).hasSize(1);
        }
        assertThat(directory.resolve(orphan + ".chunks")).doesNotExist();
        assertThat(directory.resolve(kept.uploadId() + ".session.json.tmp")).doesNotExist();
    }

    @Test
    void operationsWhenClosedThenIllegalState() {
        FileUploadStore store = FileUploadStore.create(directory);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.find(UploadIds.generate())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void createWhenIdIsNotSafeAsFileNameThenRefused() {
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            UploadRecord good = record(1);
            UploadSession s = good.session();
            UploadRecord evil = UploadRecord.created(
                    new UploadSession(
                            "../../../../tmp/evil-id",
                            s.fileName(),
                            s.fileSize(),
                            s.mimeType(),
                            s.metadata(),
                            s.chunkSize(),
                            s.totalChunks(),
                            s.state(),
                            s.createdAt(),
                            s.expiresAt()),
                    Map.of());
            assertThatThrownBy(() -> store.create(evil)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fsyncOffWhenUsedThenStillDurableAcrossReopen() {
        UploadRecord record = record(4);
        try (FileUploadStore store =
                FileUploadStore.builder(directory).fsync(false).build()) {
            store.create(record);
            store.markChunkReceived(record.uploadId(), 3, T0.plusSeconds(100));
        }
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.find(record.uploadId()).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(4, 3));
        }
    }
}
