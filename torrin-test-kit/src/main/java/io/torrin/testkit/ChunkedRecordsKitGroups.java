/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The groups of {@link UploadStoreCompatibilityKit} for records in general and chunked uploads (create and find, marking, transitions, delete and expiry); subclass the kit, not this class.
 */
public abstract class ChunkedRecordsKitGroups extends UploadStoreKitSupport {

    @Nested
    @DisplayName("create and find")
    class CreateAndFind {

        @Test
        @DisplayName("a created upload is found with every field intact")
        void roundTrip() {
            UploadRecord record = newRecord(10, T0.plusSeconds(3600));
            store.create(record);
            assertThat(store.find(record.uploadId())).contains(record);
        }

        @Test
        @DisplayName("an upload without file name keeps it absent")
        void noFileName() {
            UploadRecord template = newRecord(3, T0.plusSeconds(60));
            UploadSession s = template.session();
            UploadRecord record = UploadRecord.created(
                    new UploadSession(
                            s.uploadId(),
                            Optional.empty(),
                            s.fileSize(),
                            s.mimeType(),
                            Map.of(),
                            s.chunkSize(),
                            s.totalChunks(),
                            s.state(),
                            s.createdAt(),
                            s.expiresAt()),
                    Map.of());
            store.create(record);
            assertThat(store.find(record.uploadId())).contains(record);
        }

        @Test
        @DisplayName("an unknown id is not found")
        void unknown() {
            assertThat(store.find(UploadIds.generate())).isEmpty();
        }

        @Test
        @DisplayName("creating the same id twice is refused and keeps the first")
        void duplicate() {
            UploadRecord record = newRecord(4, T0.plusSeconds(60));
            store.create(record);
            assertThatThrownBy(() -> store.create(record)).isInstanceOf(IllegalStateException.class);
            assertThat(store.find(record.uploadId())).contains(record);
        }
    }

    @Nested
    @DisplayName("marking chunks")
    class Marking {

        @Test
        @DisplayName("marking sets the chunk, moves the upload to in progress and extends its expiry")
        void mark() {
            UploadRecord record = newRecord(5, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.markChunkReceived(record.uploadId(), 3, T0.plusSeconds(120)))
                    .isTrue();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(5, 3));
            assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(120));
        }

        @Test
        @DisplayName("marking a chunk again changes nothing and says so")
        void markTwice() {
            UploadRecord record = newRecord(5, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.markChunkReceived(record.uploadId(), 0, T0.plusSeconds(120)))
                    .isTrue();
            assertThat(store.markChunkReceived(record.uploadId(), 0, T0.plusSeconds(500)))
                    .isFalse();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(5, 0));
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(120));
        }

        @Test
        @DisplayName("a mark never moves the expiry backwards")
        void expiryNeverShrinks() {
            UploadRecord record = newRecord(5, T0.plusSeconds(600));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 1, T0.plusSeconds(60));
            assertThat(store.find(record.uploadId()).orElseThrow().session().expiresAt())
                    .isEqualTo(T0.plusSeconds(600));
        }

        @Test
        @DisplayName("marking an unknown upload fails with UPLOAD_NOT_FOUND")
        void unknown() {
            assertThatThrownBy(() -> store.markChunkReceived(UploadIds.generate(), 0, T0))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND));
        }

        @Test
        @DisplayName("an index outside the upload is refused")
        void outOfRange() {
            UploadRecord record = newRecord(5, T0.plusSeconds(60));
            store.create(record);
            assertThatThrownBy(() -> store.markChunkReceived(record.uploadId(), 5, T0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.markChunkReceived(record.uploadId(), -1, T0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.find(record.uploadId())
                            .orElseThrow()
                            .receivedChunks()
                            .count())
                    .isZero();
        }

        @Test
        @DisplayName("a completed or canceled upload takes no more marks")
        void finished() {
            UploadRecord completed = newRecord(3, T0.plusSeconds(60));
            UploadRecord canceled = newRecord(3, T0.plusSeconds(60));
            store.create(completed);
            store.create(canceled);
            store.transition(
                    completed.uploadId(),
                    UploadState.PENDING,
                    UploadState.COMPLETED,
                    T0.plusSeconds(90),
                    Optional.empty());
            store.transition(
                    canceled.uploadId(),
                    UploadState.PENDING,
                    UploadState.CANCELED,
                    T0.plusSeconds(90),
                    Optional.empty());
            assertThatThrownBy(() -> store.markChunkReceived(completed.uploadId(), 0, T0))
                    .isInstanceOfSatisfying(
                            TorrinException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_ALREADY_COMPLETED));
            assertThatThrownBy(() -> store.markChunkReceived(canceled.uploadId(), 0, T0))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_CANCELED));
            assertThat(store.find(completed.uploadId())
                            .orElseThrow()
                            .receivedChunks()
                            .count())
                    .isZero();
            assertThat(store.find(canceled.uploadId())
                            .orElseThrow()
                            .receivedChunks()
                            .count())
                    .isZero();
        }

        @Test
        @DisplayName("concurrent marks of one upload from 16 threads never lose an update")
        void concurrentMarks() throws Exception {
            int total = 2_000;
            UploadRecord record = newRecord(total, T0.plusSeconds(60));
            store.create(record);
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                indices.add(i);
            }
            Collections.shuffle(indices);
            AtomicInteger newlyMarked = new AtomicInteger();
            Concurrently.run(16, worker -> {
                for (int i = worker; i < total; i += 16) {
                    if (store.markChunkReceived(record.uploadId(), indices.get(i), T0.plusSeconds(120))) {
                        newlyMarked.incrementAndGet();
                    }
                }
                return null;
            });
            assertThat(newlyMarked).hasValue(total);
            assertThat(store.find(record.uploadId())
                            .orElseThrow()
                            .receivedChunks()
                            .isComplete())
                    .isTrue();
        }

        @Test
        @DisplayName("when 8 threads mark the same chunk, exactly one is told it was new")
        void sameChunkRace() throws Exception {
            UploadRecord record = newRecord(3, T0.plusSeconds(60));
            store.create(record);
            AtomicInteger newlyMarked = new AtomicInteger();
            Concurrently.run(8, worker -> {
                if (store.markChunkReceived(record.uploadId(), 1, T0.plusSeconds(120))) {
                    newlyMarked.incrementAndGet();
                }
                return null;
            });
            assertThat(newlyMarked).hasValue(1);
        }
    }

    @Nested
    @DisplayName("state transitions")
    class Transitions {

        @Test
        @DisplayName("a transition from the expected state saves state, expiry and location and keeps the chunks")
        void transition() {
            UploadRecord record = newRecord(2, T0.plusSeconds(60));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 0, T0.plusSeconds(60));
            store.markChunkReceived(record.uploadId(), 1, T0.plusSeconds(60));
            StorageLocation location = new StorageLocation("local", Map.of("path", "x/y.pdf"));
            assertThat(store.transition(
                            record.uploadId(),
                            UploadState.IN_PROGRESS,
                            UploadState.COMPLETED,
                            T0.plusSeconds(30),
                            Optional.of(location)))
                    .isTrue();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(found.location()).contains(location);
            assertThat(found.receivedChunks().isComplete()).isTrue();
        }

        @Test
        @DisplayName("a transition from another state than the current one changes nothing")
        void wrongExpectedState() {
            UploadRecord record = newRecord(2, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.transition(
                            record.uploadId(),
                            UploadState.IN_PROGRESS,
                            UploadState.COMPLETED,
                            T0.plusSeconds(30),
                            Optional.empty()))
                    .isFalse();
            assertThat(store.find(record.uploadId())).contains(record);
        }

        @Test
        @DisplayName("a transition of an unknown upload reports false")
        void unknown() {
            assertThat(store.transition(
                            UploadIds.generate(), UploadState.PENDING, UploadState.CANCELED, T0, Optional.empty()))
                    .isFalse();
        }

        @Test
        @DisplayName("of 8 concurrent identical transitions exactly one wins")
        void compareAndSet() throws Exception {
            UploadRecord record = newRecord(2, T0.plusSeconds(60));
            store.create(record);
            AtomicInteger winners = new AtomicInteger();
            Concurrently.run(8, worker -> {
                if (store.transition(
                        record.uploadId(),
                        UploadState.PENDING,
                        UploadState.COMPLETED,
                        T0.plusSeconds(worker),
                        Optional.empty())) {
                    winners.incrementAndGet();
                }
                return null;
            });
            assertThat(winners).hasValue(1);
            assertThat(store.find(record.uploadId()).orElseThrow().session().state())
                    .isEqualTo(UploadState.COMPLETED);
        }
    }

    @Nested
    @DisplayName("deleting and expiry")
    class DeleteAndExpiry {

        @Test
        @DisplayName("a deleted upload is gone and deleting it again reports false")
        void delete() {
            UploadRecord record = newRecord(2, T0.plusSeconds(60));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 1, T0.plusSeconds(60));
            assertThat(store.delete(record.uploadId())).isTrue();
            assertThat(store.find(record.uploadId())).isEmpty();
            assertThat(store.delete(record.uploadId())).isFalse();
        }

        @Test
        @DisplayName("an id can be reused after its upload was deleted")
        void reuseAfterDelete() {
            UploadRecord record = newRecord(2, T0.plusSeconds(60));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 1, T0.plusSeconds(60));
            store.delete(record.uploadId());
            store.create(record);
            assertThat(store.find(record.uploadId())).contains(record);
        }

        @Test
        @DisplayName(
                "findExpired returns uploads expired at or before now, in any state, earliest first, up to the limit")
        void findExpired() {
            UploadRecord early = newRecord(2, T0.plusSeconds(10));
            UploadRecord atNow = newRecord(2, T0.plusSeconds(20));
            UploadRecord later = newRecord(2, T0.plusSeconds(30));
            UploadRecord completedEarly = newRecord(2, T0.plusSeconds(60));
            for (UploadRecord r : List.of(later, atNow, early, completedEarly)) {
                store.create(r);
            }
            store.transition(
                    completedEarly.uploadId(),
                    UploadState.PENDING,
                    UploadState.COMPLETED,
                    T0.plusSeconds(5),
                    Optional.empty());
            Instant now = T0.plusSeconds(20);
            assertThat(store.findExpired(now, 10))
                    .extracting(UploadRecord::uploadId)
                    .containsExactly(completedEarly.uploadId(), early.uploadId(), atNow.uploadId());
            assertThat(store.findExpired(now, 2))
                    .extracting(UploadRecord::uploadId)
                    .containsExactly(completedEarly.uploadId(), early.uploadId());
            assertThat(store.findExpired(T0, 10)).isEmpty();
        }

        @Test
        @DisplayName("an expiry extended by a mark takes the upload out of findExpired")
        void markExtends() {
            UploadRecord record = newRecord(2, T0.plusSeconds(10));
            store.create(record);
            store.markChunkReceived(record.uploadId(), 0, T0.plusSeconds(100));
            assertThat(store.findExpired(T0.plusSeconds(50), 10)).isEmpty();
        }
    }
}
