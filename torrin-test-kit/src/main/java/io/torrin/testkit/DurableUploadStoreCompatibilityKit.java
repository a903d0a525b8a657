/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of stores that keep their data beyond the life of one store instance (file, JDBC, Redis): the
 * whole {@link UploadStoreCompatibilityKit}, plus "everything is still there after a reopen".
 */
public abstract class DurableUploadStoreCompatibilityKit extends UploadStoreCompatibilityKit {

    /**
     * Opens a new store instance on the same data as the one {@link #createStore()} made. Called after the
     * previous instance was closed.
     *
     * @return the reopened store
     * @throws Exception if it cannot be opened
     */
    protected abstract UploadStore reopenStore() throws Exception;

    private void reopen() throws Exception {
        store.close();
        store = reopenStore();
    }

    @Nested
    @DisplayName("after a reopen")
    class AfterReopen {

        @Test
        @DisplayName("append uploads keep their offset, declared size and attributes")
        void appendKept() throws Exception {
            UploadRecord deferred = newAppendRecord(OptionalLong.empty(), T0.plusSeconds(60));
            UploadRecord sized = newAppendRecord(4096, T0.plusSeconds(60));
            store.create(deferred);
            store.create(sized);
            store.advanceOffset(deferred.uploadId(), 0, 700, OptionalLong.of(9000), T0.plusSeconds(300));
            store.advanceOffset(sized.uploadId(), 0, 2048, OptionalLong.empty(), T0.plusSeconds(200));

            reopen();

            UploadRecord d = store.find(deferred.uploadId()).orElseThrow();
            assertThat(d.offset()).hasValue(700);
            assertThat(d.session().fileSize()).hasValue(9000);
            assertThat(d.session().expiresAt()).isEqualTo(T0.plusSeconds(300));
            assertThat(d.attributes()).isEqualTo(deferred.attributes());
            UploadRecord s = store.find(sized.uploadId()).orElseThrow();
            assertThat(s.offset()).hasValue(2048);
            assertThat(s.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(store.advanceOffset(sized.uploadId(), 2048, 4096, OptionalLong.empty(), T0.plusSeconds(200)))
                    .isTrue();
        }

        @Test
        @DisplayName("sessions, marks, transitions and deletions are all kept")
        void everythingKept() throws Exception {
            UploadRecord pending = newRecord(4, T0.plusSeconds(60));
            UploadRecord marked = newRecord(70, T0.plusSeconds(60));
            UploadRecord completed = newRecord(2, T0.plusSeconds(60));
            UploadRecord deleted = newRecord(2, T0.plusSeconds(60));
            for (UploadRecord r : new UploadRecord[] {pending, marked, completed, deleted}) {
                store.create(r);
            }
            store.markChunkReceived(marked.uploadId(), 0, T0.plusSeconds(100));
            store.markChunkReceived(marked.uploadId(), 69, T0.plusSeconds(200));
            store.markChunkReceived(marked.uploadId(), 64, T0.plusSeconds(150));
            store.markChunkReceived(completed.uploadId(), 0, T0.plusSeconds(100));
            store.markChunkReceived(completed.uploadId(), 1, T0.plusSeconds(100));
            StorageLocation location = new StorageLocation("local", Map.of("path", "p/q"));
            store.transition(
                    completed.uploadId(),
                    UploadState.IN_PROGRESS,
                    UploadState.COMPLETED,
                    T0.plusSeconds(50),
                    Optional.of(location));
            store.delete(deleted.uploadId());

            reopen();

            assertThat(store.find(pending.uploadId())).contains(pending);
            UploadRecord m = store.find(marked.uploadId()).orElseThrow();
            assertThat(m.receivedChunks()).isEqualTo(ChunkSet.of(70, 0, 64, 69));
            assertThat(m.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(m.session().expiresAt()).isEqualTo(T0.plusSeconds(200));
            assertThat(m.session().metadata()).isEqualTo(marked.session().metadata());
            assertThat(m.storageState()).isEqualTo(marked.storageState());
            UploadRecord c = store.find(completed.uploadId()).orElseThrow();
            assertThat(c.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(c.session().expiresAt()).isEqualTo(T0.plusSeconds(50));
            assertThat(c.location()).contains(location);
            assertThat(c.receivedChunks().isComplete()).isTrue();
            assertThat(store.find(deleted.uploadId())).isEmpty();
        }

        @Test
        @DisplayName("a reopened store goes on taking marks where the old one stopped")
        void continues() throws Exception {
            UploadRecord record = newRecord(3, T0.plusSeconds(60));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 2, T0.plusSeconds(60));
            reopen();
            assertThat(store.markChunkReceived(record.uploadId(), 2, T0.plusSeconds(60)))
                    .isFalse();
            assertThat(store.markChunkReceived(record.uploadId(), 0, T0.plusSeconds(60)))
                    .isTrue();
            reopen();
            assertThat(store.find(record.uploadId()).orElseThrow().receivedChunks())
                    .isEqualTo(ChunkSet.of(3, 0, 2));
        }
    }
}
