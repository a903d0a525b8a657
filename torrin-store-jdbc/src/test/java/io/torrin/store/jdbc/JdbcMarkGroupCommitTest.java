/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import io.torrin.testsupport.GroupCommitWaiters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group commit of chunk marks on real PostgreSQL and MariaDB: concurrent marks share one transaction and one commit,
 * each still gets its own outcome (the one a lone mark gets), and a failed batch falls back to mark-by-mark commits.
 * Batching is made deterministic by holding the first mark's connection, so that the others queue behind it.
 */
class JdbcMarkGroupCommitTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String MARKER_THREAD = "torrin-marker-";

    /** The databases under test. */
    enum Db {
        POSTGRESQL,
        MARIADB;

        DataSource dataSource() {
            return this == POSTGRESQL ? Databases.postgres() : Databases.mariadb();
        }
    }

    private final String prefix = Databases.uniquePrefix();
    private final List<JdbcUploadStore> stores = new ArrayList<>();
    private DataSource database;
    private CommitCountingDataSource counting;
    private ExecutorService pool;

    static Stream<Arguments> databasesAndThreads() {
        return Stream.of(Db.values()).flatMap(db -> Stream.of(Arguments.of(db, 8), Arguments.of(db, 32)));
    }

    private JdbcUploadStore store(Db db, int maxMarkBatch) {
        database = db.dataSource();
        counting = new CommitCountingDataSource(database);
        JdbcUploadStore store = JdbcUploadStore.builder(counting.dataSource())
                .tablePrefix(prefix)
                .createSchema(true)
                .maxMarkBatch(maxMarkBatch)
                .build();
        stores.add(store);
        return store;
    }

    private void threads(int count) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> new Thread(r, MARKER_THREAD + n.incrementAndGet());
        pool = Executors.newFixedThreadPool(count, factory);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        stores.forEach(JdbcUploadStore::close);
        if (database != null) {
            Databases.dropTables(database, prefix);
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("databasesAndThreads")
    void concurrentMarksOfOneUploadInRandomOrderWithDuplicatesEachGetTheirOutcomeAndAllAreDurable(Db db, int threads)
            throws Exception {
        JdbcUploadStore store = store(db, 64);
        Random random = new Random(threads * 31L + db.ordinal());
        int chunks = threads * 4;
        UploadRecord upload = newUpload(store, chunks);
        assertThat(store.find(upload.uploadId()).orElseThrow().session().state())
                .isEqualTo(UploadState.PENDING);
        // each index has its own expiry, so that the final expiry does not depend on which duplicate wins
        long[] expiry = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            expiry[i] = T0.plusSeconds(3600 + random.nextInt(100_000)).toEpochMilli();
        }
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            marks.add(i);
        }
        for (int i = 0; i < threads * 2; i++) {
            marks.add(random.nextInt(chunks));
        }
        Collections.shuffle(marks, random);
        counting.reset();
        Object[] outcomes = new Object[marks.size()];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        threads(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int m = next.getAndIncrement(); m < marks.size(); m = next.getAndIncrement()) {
                    int index = marks.get(m);
                    outcomes[m] = outcome(() ->
                            store.markChunkReceived(upload.uploadId(), index, Instant.ofEpochMilli(expiry[index])));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }

        int[] newlySet = new int[chunks];
        for (int m = 0; m < marks.size(); m++) {
            assertThat(outcomes[m]).as("mark %d (chunk %d)", m, marks.get(m)).isInstanceOf(Boolean.class);
            if ((Boolean) outcomes[m]) {
                newlySet[marks.get(m)]++;
            }
        }
        for (int i = 0; i < chunks; i++) {
            assertThat(newlySet[i]).as("marks of chunk %d that set it", i).isEqualTo(1);
        }
        UploadRecord stored = store.find(upload.uploadId()).orElseThrow();
        assertThat(received(stored).isComplete()).isTrue();
        assertThat(stored.session().state()).isEqualTo(UploadState.IN_PROGRESS);
        long maxExpiry = Long.MIN_VALUE;
        for (long e : expiry) {
            maxExpiry = Math.max(maxExpiry, e);
        }
        assertThat(stored.session().expiresAt().toEpochMilli()).isEqualTo(maxExpiry);
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("databasesAndThreads")
    void marksQueuedBehindARunningCommitShareOneTransactionAndOneCommit(Db db, int threads) throws Exception {
        JdbcUploadStore store = store(db, 64);
        Random random = new Random(threads);
        int duplicates = threads / 4;
        int chunks = threads - duplicates;
        UploadRecord upload = newUpload(store, chunks);
        List<Integer> queued = new ArrayList<>();
        for (int i = 1; i < chunks; i++) {
            queued.add(i);
        }
        queued.add(0); // committed already by the held mark when the batch runs
        for (int i = 1; i < duplicates; i++) {
            queued.add(1 + random.nextInt(chunks - 1));
        }
        Collections.shuffle(queued, random);
        assertThat(queued).hasSize(threads - 1);
        counting.reset();
        threads(threads);

        Future<Object> first = holdFirstMark(store, upload.uploadId(), 0, T0.plusSeconds(7200));
        List<Future<Object>> rest = new ArrayList<>();
        for (int index : queued) {
            rest.add(pool.submit(() ->
                    outcome(() -> store.markChunkReceived(upload.uploadId(), index, T0.plusSeconds(7200 + index)))));
        }
        awaitQueued(queued.size());
        counting.release();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        int[] newlySet = new int[chunks];
        newlySet[0] = 1;
        for (int m = 0; m < queued.size(); m++) {
            Object outcome = rest.get(m).get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(Boolean.class);
            if ((Boolean) outcome) {
                newlySet[queued.get(m)]++;
            }
        }
        assertThat(newlySet).containsOnly(1);
        // the held mark alone, then every queued mark in one transaction: two connections, two commits
        assertThat(counting.connections()).isEqualTo(2);
        assertThat(counting.commits()).isEqualTo(2).isLessThan(threads);
        UploadRecord stored = store.find(upload.uploadId()).orElseThrow();
        assertThat(received(stored).isComplete()).isTrue();
        assertThat(stored.session().state()).isEqualTo(UploadState.IN_PROGRESS);
        assertThat(stored.session().expiresAt()).isEqualTo(T0.plusSeconds(7200 + chunks - 1));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aBatchMixingMissingFinishedOutOfRangeAndValidMarksGivesEachTheOutcomeALoneMarkGets(Db db) throws Exception {
        JdbcUploadStore store = store(db, 64);
        String active = newUpload(store, 4).uploadId();
        String other = newUpload(store, 2).uploadId();
        String completed = newUpload(store, 2).uploadId();
        String canceled = newUpload(store, 2).uploadId();
        String missing = UploadIds.generate();
        assertThat(store.transition(completed, UploadState.PENDING, UploadState.COMPLETED, T0, Optional.empty()))
                .isTrue();
        assertThat(store.transition(canceled, UploadState.PENDING, UploadState.CANCELED, T0, Optional.empty()))
                .isTrue();
        List<Object[]> queued = List.of(
                new Object[] {active, 1},
                new Object[] {missing, 0},
                new Object[] {active, 1},
                new Object[] {completed, 0},
                new Object[] {active, 9},
                new Object[] {canceled, 1},
                new Object[] {other, 1},
                new Object[] {active, 2});
        counting.reset();
        threads(queued.size() + 1);

        Future<Object> first = holdFirstMark(store, active, 0, T0.plusSeconds(7200));
        List<Future<Object>> results = new ArrayList<>();
        for (Object[] mark : queued) {
            results.add(pool.submit(() ->
                    outcome(() -> store.markChunkReceived((String) mark[0], (Integer) mark[1], T0.plusSeconds(7200)))));
        }
        awaitQueued(queued.size());
        counting.release();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> result : results) {
            outcomes.add(result.get(30, TimeUnit.SECONDS));
        }
        // one transaction for the whole mixed batch: the refused marks did not fail it
        assertThat(counting.connections()).isEqualTo(2);
        assertThat(counting.commits()).isEqualTo(2);
        // the two marks of chunk 1: whichever the pool's threads queued first is new, the other finds it set
        assertThat(List.of(outcomes.get(0), outcomes.get(2))).containsExactlyInAnyOrder(true, false);
        assertThat(outcomes.get(6)).isEqualTo(true);
        assertThat(outcomes.get(7)).isEqualTo(true);
        assertTorrinError(outcomes.get(1), ErrorCode.UPLOAD_NOT_FOUND);
        assertTorrinError(outcomes.get(3), ErrorCode.UPLOAD_ALREADY_COMPLETED);
        assertTorrinError(outcomes.get(5), ErrorCode.UPLOAD_CANCELED);
        assertThat(outcomes.get(4)).isInstanceOf(IllegalArgumentException.class);

        // the same marks alone fail the same way
        assertSameFailure(outcomes.get(1), outcome(() -> store.markChunkReceived(missing, 0, T0.plusSeconds(7200))));
        assertSameFailure(outcomes.get(3), outcome(() -> store.markChunkReceived(completed, 0, T0.plusSeconds(7200))));
        assertSameFailure(outcomes.get(4), outcome(() -> store.markChunkReceived(active, 9, T0.plusSeconds(7200))));
        assertSameFailure(outcomes.get(5), outcome(() -> store.markChunkReceived(canceled, 1, T0.plusSeconds(7200))));

        assertThat(received(store.find(active).orElseThrow()).received()).containsExactly(0, 1, 2);
        assertThat(received(store.find(other).orElseThrow()).received()).containsExactly(1);
        UploadRecord finished = store.find(completed).orElseThrow();
        assertThat(finished.session().state()).isEqualTo(UploadState.COMPLETED);
        assertThat(received(finished).count()).isZero();
        assertThat(store.find(canceled).orElseThrow().session().state()).isEqualTo(UploadState.CANCELED);
        assertThat(store.find(missing)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aBatchWhoseCommitFailsFallsBackToMarkByMarkCommitsAndLosesNothing(Db db) throws Exception {
        JdbcUploadStore store = store(db, 64);
        String uploadId = newUpload(store, 8).uploadId();
        List<Integer> queued = List.of(5, 1, 7, 3, 1, 2, 6, 4, 0);
        counting.reset();
        // connection 1 is the held lone mark's, connection 2 the batch's: its commit fails once
        counting.failCommitsOf(ordinal -> ordinal == 2);
        threads(queued.size() + 1);

        Future<Object> first = holdFirstMark(store, uploadId, 0, T0.plusSeconds(7200));
        List<Future<Object>> results = new ArrayList<>();
        for (int index : queued) {
            results.add(pool.submit(
                    () -> outcome(() -> store.markChunkReceived(uploadId, index, T0.plusSeconds(7200 + index)))));
        }
        awaitQueued(queued.size());
        counting.release();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        int[] newlySet = new int[8];
        newlySet[0] = 1;
        for (int m = 0; m < queued.size(); m++) {
            Object outcome = results.get(m).get(30, TimeUnit.SECONDS);
            assertThat(outcome).as("mark of chunk %d", queued.get(m)).isInstanceOf(Boolean.class);
            if ((Boolean) outcome) {
                newlySet[queued.get(m)]++;
            }
        }
        assertThat(newlySet).containsOnly(1);
        assertThat(counting.failedCommits()).isEqualTo(1);
        // the lone mark, the failed batch, then (at least) one connection per mark of the batch
        assertThat(counting.connections()).isGreaterThanOrEqualTo(2 + queued.size());
        UploadRecord stored = store.find(uploadId).orElseThrow();
        assertThat(received(stored).isComplete()).isTrue();
        assertThat(stored.session().expiresAt()).isEqualTo(T0.plusSeconds(7200 + 7));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void whenTheBatchAndEveryRetryFailEachCallerGetsItsOwnStorageError(Db db) throws Exception {
        JdbcUploadStore store = store(db, 64);
        String uploadId = newUpload(store, 8).uploadId();
        List<Integer> queued = List.of(3, 1, 2, 7, 5);
        counting.reset();
        counting.failCommitsOf(ordinal -> ordinal >= 2);
        threads(queued.size() + 1);

        Future<Object> first = holdFirstMark(store, uploadId, 0, T0.plusSeconds(7200));
        List<Future<Object>> results = new ArrayList<>();
        for (int index : queued) {
            results.add(
                    pool.submit(() -> outcome(() -> store.markChunkReceived(uploadId, index, T0.plusSeconds(7200)))));
        }
        awaitQueued(queued.size());
        counting.release();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        Set<Object> failures = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int m = 0; m < queued.size(); m++) {
            Object outcome = results.get(m).get(30, TimeUnit.SECONDS);
            assertTorrinError(outcome, ErrorCode.STORAGE_ERROR);
            TorrinException failure = (TorrinException) outcome;
            assertThat(failure.getMessage())
                    .isEqualTo("the upload store could not record chunk " + queued.get(m) + " of upload " + uploadId);
            assertThat(failure.details()).containsEntry("sqlState", "40001");
            failures.add(failure);
        }
        assertThat(failures).hasSize(queued.size());
        assertThat(received(store.find(uploadId).orElseThrow()).received()).containsExactly(0);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aMaxMarkBatchOfOneCommitsEveryMarkAlone(Db db) throws Exception {
        JdbcUploadStore store = store(db, 1);
        String uploadId = newUpload(store, 6).uploadId();
        counting.reset();
        threads(6);

        Future<Object> first = holdFirstMark(store, uploadId, 0, T0.plusSeconds(7200));
        List<Future<Object>> results = new ArrayList<>();
        for (int index = 1; index < 6; index++) {
            int chunk = index;
            results.add(
                    pool.submit(() -> outcome(() -> store.markChunkReceived(uploadId, chunk, T0.plusSeconds(7200)))));
        }
        // no batching, no queue: the other marks finish on their own connections while the first is held
        for (Future<Object> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        }
        assertThat(first).isNotDone();
        counting.release();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(true);
        assertThat(counting.connections()).isEqualTo(6);
        assertThat(counting.commits()).isEqualTo(6);
        assertThat(received(store.find(uploadId).orElseThrow()).isComplete()).isTrue();
    }

    @Test
    void refusesAMaxMarkBatchBelowOne() {
        assertThatThrownBy(() -> JdbcUploadStore.builder(Databases.h2()).maxMarkBatch(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMarkBatch");
    }

    /** Starts a mark whose connection is held, and returns once it is held (it leads the first batch). */
    private Future<Object> holdFirstMark(JdbcUploadStore store, String uploadId, int index, Instant expiresAt)
            throws InterruptedException {
        counting.holdNextConnection();
        Future<Object> first = pool.submit(() -> outcome(() -> store.markChunkReceived(uploadId, index, expiresAt)));
        counting.awaitHeld();
        return first;
    }

    private static UploadRecord newUpload(JdbcUploadStore store, int chunks) {
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("file.bin"),
                OptionalLong.of(chunks * 1024L),
                "application/octet-stream",
                Map.of(),
                1024,
                chunks,
                UploadState.PENDING,
                T0,
                T0.plusSeconds(3600));
        UploadRecord record = UploadRecord.created(session, Map.of());
        store.create(record);
        return record;
    }

    private static ChunkSet received(UploadRecord record) {
        return ((UploadProgress.Chunks) record.progress()).received();
    }

    @FunctionalInterface
    private interface Mark {
        boolean run();
    }

    /** The mark's return value, or what it threw. */
    private static Object outcome(Mark mark) {
        try {
            return mark.run();
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertTorrinError(Object outcome, ErrorCode code) {
        assertThat(outcome).isInstanceOf(TorrinException.class);
        assertThat(((TorrinException) outcome).code()).isEqualTo(code);
    }

    private static void assertSameFailure(Object batched, Object alone) {
        assertThat(batched).isInstanceOf(RuntimeException.class).isNotSameAs(alone);
        assertThat(alone).isInstanceOf(batched.getClass());
        assertThat(((Throwable) alone).getMessage()).isEqualTo(((Throwable) batched).getMessage());
        if (batched instanceof TorrinException torrin) {
            assertThat(((TorrinException) alone).code()).isEqualTo(torrin.code());
            assertThat(((TorrinException) alone).details()).isEqualTo(torrin.details());
        }
    }

    /** Waits until {@code count} marker threads wait in {@link GroupCommit#submit} behind the running batch. */
    private static void awaitQueued(int count) {
        GroupCommitWaiters.awaitQueued(
                count, thread -> thread.getName().startsWith(MARKER_THREAD), Duration.ofSeconds(20));
    }
}
