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
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
public abstract class UploadStoreCompatibilityKit {

    /** The instant test records are created at; millisecond precision, as the service uses. */
    protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    /** The store under test, created before each test. */
    protected UploadStore store;

    /**
     * Creates a fresh, empty store. Called before each test.
     *
     * @return the store
     * @throws Exception if the store cannot be created
     */
    protected abstract UploadStore createStore() throws Exception;

    @BeforeEach
    void createStoreUnderTest() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStoreUnderTest() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * Builds a record for a new upload with some of everything a store must keep.
     *
     * @param totalChunks the number of chunks
     * @param expiresAt the expiry
     * @return the record
     */
    protected static UploadRecord newRecord(int totalChunks, Instant expiresAt) {
        long chunkSize = 1024;
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("Übersicht 2030 – 📄.pdf"),
                OptionalLong.of(chunkSize * totalChunks - 7),
                "application/pdf",
                Map.of("userId", "123", "note", "größe: ✓"),
                chunkSize,
                totalChunks,
                UploadState.PENDING,
                T0,
                expiresAt);
        return UploadRecord.created(session, Map.of("path", "a/b.pdf", "multipartId", "x-1"));
    }

    /**
     * Builds a record for a new append upload (offset-based, as tus uploads are).
     *
     * @param fileSize the size
     * @param expiresAt the expiry
     * @return the record, offset 0
     */
    protected static UploadRecord newAppendRecord(long fileSize, Instant expiresAt) {
        return newAppendRecord(OptionalLong.of(fileSize), expiresAt);
    }

    /**
     * Builds a record for a new append upload (offset-based, as tus uploads are) whose size may be undeclared.
     *
     * @param fileSize the size, or empty while undeclared
     * @param expiresAt the expiry
     * @return the record, offset 0
     */
    protected static UploadRecord newAppendRecord(OptionalLong fileSize, Instant expiresAt) {
        long chunkSize = 1024;
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("clip.mp4"),
                fileSize,
                "video/mp4",
                Map.of("filename", "clip.mp4", "empty", ""),
                chunkSize,
                UploadSession.chunkCount(fileSize, chunkSize),
                UploadState.PENDING,
                T0,
                expiresAt);
        return UploadRecord.createdForAppend(
                session, Map.of("path", "clip.mp4"), Map.of("tus.concat", "partial", "note", "ä ✓"));
    }

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
