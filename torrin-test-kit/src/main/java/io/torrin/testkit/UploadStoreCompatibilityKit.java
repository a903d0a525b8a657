/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadState;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UploadStore} fulfils. A backend runs it with a short subclass:
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends UploadStoreCompatibilityKit {
 *     protected UploadStore createStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * A store that survives restarts extends {@link DurableUploadStoreCompatibilityKit} instead.
 */
public abstract class UploadStoreCompatibilityKit extends ChunkedRecordsKitGroups {

    @Nested
    @DisplayName("locks")
    class Locks {

        @Test
        @DisplayName("locks() always returns the same instance")
        void sameInstance() {
            assertThat(store.locks()).isSameAs(store.locks());
        }

        @Test
        @DisplayName("shared holders coexist; an exclusive request waits for them and times out with UPLOAD_LOCKED")
        void sharedExcludesExclusive() {
            String key = UploadIds.generate();
            try (UploadLock a = store.locks().acquire(key, LockMode.SHARED, Duration.ofSeconds(1));
                    UploadLock b = store.locks().acquire(key, LockMode.SHARED, Duration.ofSeconds(1))) {
                assertThatThrownBy(() -> store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ofMillis(50)))
                        .isInstanceOfSatisfying(
                                TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_LOCKED));
            }
            store.locks()
                    .acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(1))
                    .close();
        }

        @Test
        @DisplayName("an exclusive holder excludes everyone until it releases; release is idempotent")
        void exclusive() {
            String key = UploadIds.generate();
            UploadLock held = store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(1));
            assertThatThrownBy(() -> store.locks().acquire(key, LockMode.SHARED, Duration.ofMillis(30)))
                    .isInstanceOf(TorrinException.class);
            assertThatThrownBy(() -> store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ZERO))
                    .isInstanceOf(TorrinException.class);
            held.close();
            held.close();
            try (UploadLock again = store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ZERO)) {
                assertThatThrownBy(() -> store.locks().acquire(key, LockMode.SHARED, Duration.ZERO))
                        .isInstanceOf(TorrinException.class);
            }
        }

        @Test
        @DisplayName("different keys do not block each other")
        void independentKeys() {
            try (UploadLock a = store.locks().acquire(UploadIds.generate(), LockMode.EXCLUSIVE, Duration.ZERO);
                    UploadLock b = store.locks().acquire(UploadIds.generate(), LockMode.EXCLUSIVE, Duration.ZERO)) {
                assertThat(a).isNotSameAs(b);
            }
        }

        @Test
        @DisplayName("a waiting exclusive request gets the lock as soon as the holder releases it, from another thread")
        void handOver() throws Exception {
            String key = UploadIds.generate();
            UploadLock held = store.locks().acquire(key, LockMode.SHARED, Duration.ZERO);
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch started = new CountDownLatch(1);
                Future<UploadLock> waiter = executor.submit(() -> {
                    started.countDown();
                    return store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(10));
                });
                started.await();
                held.close();
                waiter.get(10, TimeUnit.SECONDS).close();
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        @DisplayName("of 8 threads contending for one exclusive key, never two hold it at once")
        void mutualExclusion() throws Exception {
            String key = UploadIds.generate();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            Concurrently.run(8, worker -> {
                for (int i = 0; i < 200; i++) {
                    try (UploadLock lock = store.locks().acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(10))) {
                        int now = inside.incrementAndGet();
                        maxInside.accumulateAndGet(now, Math::max);
                        inside.decrementAndGet();
                    }
                }
                return null;
            });
            assertThat(maxInside).hasValue(1);
        }
    }

    @Nested
    @DisplayName("append uploads")
    class AppendUploads {

        @Test
        @DisplayName("an append upload is found with its offset and attributes")
        void roundTrip() {
            UploadRecord record = newAppendRecord(10_000, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.find(record.uploadId())).contains(record);
            assertThat(store.find(record.uploadId()).orElseThrow().offset()).isPresent();
        }

        @Test
        @DisplayName("advancing moves the offset, the state and a later expiry")
        void advances() {
            UploadRecord record = newAppendRecord(10_000, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.advanceOffset(record.uploadId(), 0, 1500, OptionalLong.empty(), T0.plusSeconds(120)))
                    .isTrue();
            assertThat(store.advanceOffset(record.uploadId(), 1500, 1501, OptionalLong.empty(), T0.plusSeconds(90)))
                    .isTrue();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.offset()).hasValue(1501);
            assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(120));
            assertThat(found.appendedChunks()).isEqualTo(1);
            assertThat(found.attributes()).isEqualTo(record.attributes());
            assertThat(found.session().metadata()).isEqualTo(record.session().metadata());
        }

        @Test
        @DisplayName("a stale expected offset changes nothing")
        void staleOffset() {
            UploadRecord record = newAppendRecord(10_000, T0.plusSeconds(60));
            store.create(record);
            store.advanceOffset(record.uploadId(), 0, 100, OptionalLong.empty(), T0.plusSeconds(60));
            assertThat(store.advanceOffset(record.uploadId(), 0, 200, OptionalLong.empty(), T0.plusSeconds(600)))
                    .isFalse();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.offset()).hasValue(100);
            assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(60));
        }

        @Test
        @DisplayName("a size declared later is kept, with its chunk count; it cannot change again")
        void declaredSize() {
            UploadRecord record = newAppendRecord(OptionalLong.empty(), T0.plusSeconds(60));
            store.create(record);
            assertThat(store.find(record.uploadId())
                            .orElseThrow()
                            .session()
                            .fileSize()
                            .isPresent())
                    .isFalse();
            store.advanceOffset(record.uploadId(), 0, 3000, OptionalLong.empty(), T0.plusSeconds(60));
            assertThat(store.advanceOffset(record.uploadId(), 3000, 4000, OptionalLong.of(5000), T0.plusSeconds(60)))
                    .isTrue();
            UploadRecord found = store.find(record.uploadId()).orElseThrow();
            assertThat(found.session().fileSize()).hasValue(5000);
            assertThat(found.session().totalChunks()).isEqualTo(5);
            assertThat(found.offset()).hasValue(4000);
            assertThatThrownBy(() -> store.advanceOffset(
                            record.uploadId(), 4000, 4000, OptionalLong.of(6000), T0.plusSeconds(60)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.advanceOffset(
                            record.uploadId(), 4000, 5001, OptionalLong.empty(), T0.plusSeconds(60)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.find(record.uploadId()).orElseThrow().offset()).hasValue(4000);
        }

        @Test
        @DisplayName("an empty upload is kept with size 0")
        void empty() {
            UploadRecord record = newAppendRecord(0, T0.plusSeconds(60));
            store.create(record);
            assertThat(store.find(record.uploadId())).contains(record);
        }

        @Test
        @DisplayName("advancing a missing, finished or chunked upload fails")
        void refusals() {
            assertThatThrownBy(() -> store.advanceOffset(UploadIds.generate(), 0, 1, OptionalLong.empty(), T0))
                    .isInstanceOf(TorrinException.class)
                    .extracting(e -> ((TorrinException) e).code())
                    .isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
            UploadRecord done = newAppendRecord(10, T0.plusSeconds(60));
            store.create(done);
            store.advanceOffset(done.uploadId(), 0, 10, OptionalLong.empty(), T0.plusSeconds(60));
            store.transition(
                    done.uploadId(),
                    UploadState.IN_PROGRESS,
                    UploadState.COMPLETED,
                    T0.plusSeconds(60),
                    Optional.of(new StorageLocation("local", Map.of("path", "x"))));
            assertThatThrownBy(() ->
                            store.advanceOffset(done.uploadId(), 10, 10, OptionalLong.empty(), T0.plusSeconds(60)))
                    .isInstanceOf(TorrinException.class)
                    .extracting(e -> ((TorrinException) e).code())
                    .isEqualTo(ErrorCode.UPLOAD_ALREADY_COMPLETED);
            UploadRecord completed = store.find(done.uploadId()).orElseThrow();
            assertThat(completed.offset()).hasValue(10);
            assertThat(completed.location()).isPresent();
            UploadRecord chunked = newRecord(2, T0.plusSeconds(60));
            store.create(chunked);
            assertThatThrownBy(() ->
                            store.advanceOffset(chunked.uploadId(), 0, 1, OptionalLong.empty(), T0.plusSeconds(60)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("of concurrent advances from the same offset exactly one wins")
        void concurrentAdvances() throws Exception {
            UploadRecord record = newAppendRecord(1_000_000, T0.plusSeconds(60));
            store.create(record);
            List<Boolean> results = Concurrently.run(
                    8,
                    i -> store.advanceOffset(record.uploadId(), 0, 100 + i, OptionalLong.empty(), T0.plusSeconds(60)));
            assertThat(results).containsOnlyOnce(true);
            long offset = store.find(record.uploadId()).orElseThrow().offset().getAsLong();
            assertThat(offset).isBetween(100L, 107L);
            assertThat(results.get((int) offset - 100)).isTrue();
        }
    }
}
