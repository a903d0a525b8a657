/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import io.torrin.testsupport.GroupCommitWaiters;
import io.torrin.testsupport.TcpProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Pipelined (group-committed) chunk marks on a real Redis: concurrent marks share one pipeline, each keeps its own
 * result or error, and a mark returns only once Redis replied for it. A counting client shows what went over the
 * wire: every lone {@code EVAL} of the mark script and every pipeline with its {@code EVALSHA} and {@code EVAL} calls.
 */
class RedisPipelinedMarksTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final String prefix = RedisServer.uniquePrefix();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {8, 32})
    void concurrentMarksWithDuplicatesGiveExactlyOneTruePerChunkAndEachIsSentOnce(int threads) throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 64);
        int total = 500;
        UploadRecord record = record(total);
        String id = record.uploadId();
        store.create(record);
        assertThat(plainStore().find(id).orElseThrow().session().state()).isEqualTo(UploadState.PENDING);
        List<Integer> work = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            work.add(i);
            if (i % 3 == 0) {
                work.add(i);
            }
        }
        Collections.shuffle(work, new Random(ThreadLocalRandom.current().nextLong()));

        ExecutorService writers = Executors.newFixedThreadPool(threads);
        int[] trues = new int[total];
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int index : work) {
                results.add(writers.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100 + index))));
            }
            for (int i = 0; i < work.size(); i++) {
                if (results.get(i).get(30, TimeUnit.SECONDS)) {
                    trues[work.get(i)]++;
                }
            }
        } finally {
            writers.shutdownNow();
        }

        for (int i = 0; i < total; i++) {
            assertThat(trues[i]).as("marks of chunk %d that reported it new", i).isEqualTo(1);
        }
        // every mark was one script call, alone or in a pipeline: none lost, none sent twice
        int pipelined = jedis.pipelines.stream().mapToInt(Pipelined::calls).sum();
        assertThat(jedis.loneMarks.get() + pipelined).isEqualTo(work.size());
        assertThat(jedis.pipelines).allSatisfy(p -> assertThat(p.calls()).isBetween(2, 64));
        UploadRecord found = plainStore().find(id).orElseThrow();
        assertThat(found.receivedChunks().isComplete()).isTrue();
        assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(100 + total - 1));
        assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
    }

    @Test
    void marksArrivingDuringALoneMarkShareOnePipeline() throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 64);
        UploadRecord record = record(16);
        String id = record.uploadId();
        store.create(record);

        Gate lone = jedis.holdNextLoneMark();
        List<Future<Boolean>> marks = new ArrayList<>();
        marks.add(pool.submit(() -> store.markChunkReceived(id, 0, T0.plusSeconds(100))));
        lone.awaitEntered();
        for (int i = 1; i < 8; i++) {
            int index = i;
            marks.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100 + index))));
            awaitQueued(i);
        }
        lone.release();
        for (Future<Boolean> mark : marks) {
            assertThat(mark.get(10, TimeUnit.SECONDS)).isTrue();
        }

        // the leader's mark alone, then the seven queued behind it in one round trip
        assertThat(jedis.loneMarks.get()).isEqualTo(1);
        assertThat(jedis.pipelines).containsExactly(new Pipelined(7, 0));
        UploadRecord found = plainStore().find(id).orElseThrow();
        assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(16, 0, 1, 2, 3, 4, 5, 6, 7));
        assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(107));
        assertThat(found.session().state()).isEqualTo(UploadState.IN_PROGRESS);
    }

    @Test
    void markPipelineBoundsThePipelineAndALastMarkLeftAloneIsSentAlone() throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 3);
        UploadRecord record = record(16);
        String id = record.uploadId();
        store.create(record);

        Gate lone = jedis.holdNextLoneMark();
        List<Future<Boolean>> marks = new ArrayList<>();
        marks.add(pool.submit(() -> store.markChunkReceived(id, 0, T0.plusSeconds(100))));
        lone.awaitEntered();
        for (int i = 1; i < 8; i++) {
            int index = i;
            marks.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100))));
            awaitQueued(i);
        }
        lone.release();
        for (Future<Boolean> mark : marks) {
            assertThat(mark.get(10, TimeUnit.SECONDS)).isTrue();
        }

        // seven queued: three, three, and the last alone
        assertThat(jedis.pipelines).containsExactly(new Pipelined(3, 0), new Pipelined(3, 0));
        assertThat(jedis.loneMarks.get()).isEqualTo(2);
        assertThat(plainStore().find(id).orElseThrow().receivedChunks())
                .isEqualTo(ChunkSet.of(16, 0, 1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void markPipelineOfOneSendsEveryMarkAloneAndConcurrently() throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 1);
        UploadRecord record = record(8);
        String id = record.uploadId();
        store.create(record);

        Gate lone = jedis.holdNextLoneMark();
        Future<Boolean> held = pool.submit(() -> store.markChunkReceived(id, 0, T0.plusSeconds(100)));
        lone.awaitEntered();
        // with no group commit, the other marks do not wait for the held one
        List<Future<Boolean>> others = new ArrayList<>();
        for (int i = 1; i < 8; i++) {
            int index = i;
            others.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100))));
        }
        for (Future<Boolean> mark : others) {
            assertThat(mark.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(held).isNotDone();
        lone.release();
        assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(jedis.pipelines).isEmpty();
        assertThat(jedis.loneMarks.get()).isEqualTo(8);
        assertThatThrownBy(() -> RedisUploadStore.builder(jedis).markPipeline(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPipelineGivesEachMarkItsOwnOutcome() throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 64);
        UploadRecord active = record(4);
        UploadRecord completed = record(4);
        UploadRecord canceled = record(4);
        UploadRecord broken = record(4);
        UploadRecord leader = record(1);
        for (UploadRecord r : List.of(active, completed, canceled, broken, leader)) {
            store.create(r);
        }
        store.markChunkReceived(active.uploadId(), 1, T0.plusSeconds(100));
        assertThat(store.transition(
                        completed.uploadId(), UploadState.PENDING, UploadState.COMPLETED, T0, Optional.empty()))
                .isTrue();
        assertThat(store.transition(
                        canceled.uploadId(), UploadState.PENDING, UploadState.CANCELED, T0, Optional.empty()))
                .isTrue();
        // a chunk bitmap that is not a string: SETBIT answers WRONGTYPE inside the script
        RedisServer.client().del(prefix + "chunks:" + broken.uploadId());
        RedisServer.client().rpush(prefix + "chunks:" + broken.uploadId(), "not a bitmap");
        int loneBefore = jedis.loneMarks.get();

        Gate lone = jedis.holdNextLoneMark();
        Future<Boolean> first = pool.submit(() -> store.markChunkReceived(leader.uploadId(), 0, T0));
        lone.awaitEntered();
        String a = active.uploadId();
        List<Future<Boolean>> queued = new ArrayList<>();
        List<String> ids =
                List.of(a, a, a, "no-such-upload", completed.uploadId(), canceled.uploadId(), a, broken.uploadId(), a);
        int[] indexes = {0, 1, 2, 0, 0, 0, 9, 0, 2};
        for (int k = 0; k < ids.size(); k++) {
            String uploadId = ids.get(k);
            int index = indexes[k];
            queued.add(pool.submit(() -> store.markChunkReceived(uploadId, index, T0.plusSeconds(200))));
            awaitQueued(k + 1);
        }
        lone.release();
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(queued.get(0).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.get(1).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(List.of(
                        queued.get(2).get(10, TimeUnit.SECONDS), queued.get(8).get(10, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder(true, false);
        assertThat(failure(queued.get(3)))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND));
        assertThat(failure(queued.get(4)))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_ALREADY_COMPLETED));
        assertThat(failure(queued.get(5)))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_CANCELED));
        assertThat(failure(queued.get(6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 9 is out of range");
        assertThat(failure(queued.get(7))).isInstanceOfSatisfying(TorrinException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
            assertThat(e.getMessage()).contains("record chunk 0 of upload " + broken.uploadId());
        });

        // all nine in one pipeline, after the leader's lone mark
        assertThat(jedis.loneMarks.get() - loneBefore).isEqualTo(1);
        assertThat(jedis.pipelines).containsExactly(new Pipelined(9, 0));
        UploadRecord found = plainStore().find(a).orElseThrow();
        assertThat(found.receivedChunks()).isEqualTo(ChunkSet.of(4, 0, 1, 2));
        assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(200));
        assertThat(plainStore()
                        .find(completed.uploadId())
                        .orElseThrow()
                        .receivedChunks()
                        .count())
                .isZero();
        assertThat(RedisServer.client().del(prefix + "chunks:" + broken.uploadId()))
                .isEqualTo(1);
    }

    @Test
    void afterTheScriptCacheIsFlushedAPipelineFallsBackToEvalOnce() throws Exception {
        CountingJedis jedis = counting(RedisServer.address());
        RedisUploadStore store = store(jedis, 64);
        UploadRecord record = record(16);
        String id = record.uploadId();
        store.create(record);

        for (int round = 0; round < 2; round++) {
            if (round == 0) {
                // after the lone mark ran (and cached the script by its EVAL), before the pipeline
                jedis.beforeNextPipeline(() -> RedisServer.client().scriptFlush());
            }
            Gate lone = jedis.holdNextLoneMark();
            List<Future<Boolean>> marks = new ArrayList<>();
            int base = round * 8;
            marks.add(pool.submit(() -> store.markChunkReceived(id, base, T0.plusSeconds(100))));
            lone.awaitEntered();
            for (int i = 1; i < 5; i++) {
                int index = base + i;
                marks.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(100))));
                awaitQueued(i);
            }
            lone.release();
            for (Future<Boolean> mark : marks) {
                assertThat(mark.get(10, TimeUnit.SECONDS)).isTrue();
            }
        }

        // NOSCRIPT for the four: they are sent again with EVAL, which caches the script for the next pipeline
        assertThat(jedis.pipelines).containsExactly(new Pipelined(4, 0), new Pipelined(0, 4), new Pipelined(4, 0));
        assertThat(plainStore().find(id).orElseThrow().receivedChunks())
                .isEqualTo(ChunkSet.of(16, 0, 1, 2, 3, 4, 8, 9, 10, 11, 12));
    }

    @Test
    void aConnectionCutDuringAPipelineFailsItsMarksAndLosesNoAcknowledgedOne() throws Exception {
        HostAndPort real = RedisServer.address();
        TcpProxy proxy = TcpProxy.to(real.getHost(), real.getPort());
        closeables.add(proxy);
        CountingJedis jedis = counting(new HostAndPort("127.0.0.1", proxy.port()));
        RedisUploadStore store = store(jedis, 64);
        UploadRecord record = record(16);
        String id = record.uploadId();
        store.create(record);
        List<Integer> acknowledged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(store.markChunkReceived(id, i, T0.plusSeconds(100))).isTrue();
            acknowledged.add(i);
        }

        Gate lone = jedis.holdNextLoneMark();
        Gate sync = jedis.holdNextSync();
        Future<Boolean> first = pool.submit(() -> store.markChunkReceived(id, 3, T0.plusSeconds(100)));
        lone.awaitEntered();
        List<Future<Boolean>> queued = new ArrayList<>();
        for (int i = 4; i < 9; i++) {
            int index = i;
            queued.add(pool.submit(() -> store.markChunkReceived(id, index, T0.plusSeconds(200))));
            awaitQueued(i - 3);
        }
        lone.release();
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        acknowledged.add(3);
        // the five queued marks are in the pipeline, not yet flushed: Redis goes away
        sync.awaitEntered();
        proxy.stop();
        sync.release();

        List<TorrinException> failures = new ArrayList<>();
        for (int k = 0; k < queued.size(); k++) {
            int index = k + 4;
            assertThat(failure(queued.get(k))).isInstanceOfSatisfying(TorrinException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                assertThat(e.getMessage())
                        .isEqualTo("the upload store could not record chunk " + index + " of upload " + id);
                assertThat(e.getCause()).isInstanceOf(JedisConnectionException.class);
                failures.add(e);
            });
        }
        assertThat(failures).doesNotHaveDuplicates().hasSize(5);
        assertThat(jedis.pipelines).containsExactly(new Pipelined(5, 0));

        // the store keeps working: the next mark fails on its own, without waiting for anything
        assertThatThrownBy(() -> store.markChunkReceived(id, 9, T0))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR));
        UploadRecord found = plainStore().find(id).orElseThrow();
        assertThat(found.receivedChunks().received()).containsExactlyElementsOf(acknowledged);
        assertThat(found.session().expiresAt()).isEqualTo(T0.plusSeconds(100));
    }

    private static UploadRecord record(int total) {
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

    private CountingJedis counting(HostAndPort address) {
        CountingJedis jedis = new CountingJedis(address);
        closeables.add(jedis);
        return jedis;
    }

    private RedisUploadStore store(CountingJedis jedis, int markPipeline) {
        RedisUploadStore store = RedisUploadStore.builder(jedis)
                .keyPrefix(prefix)
                .markPipeline(markPipeline)
                .build();
        closeables.add(0, store);
        return store;
    }

    /** A store on the shared, uncounted client, to read what Redis holds. */
    private RedisUploadStore plainStore() {
        RedisUploadStore store =
                RedisUploadStore.builder(RedisServer.client()).keyPrefix(prefix).build();
        closeables.add(0, store);
        return store;
    }

    private static Throwable failure(Future<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the mark did not return", e);
        }
        throw new AssertionError("the mark succeeded");
    }

    /** Waits until {@code count} callers wait in the group commit's queue (in submit, not leading a batch). */
    private static void awaitQueued(int count) {
        long waiting = GroupCommitWaiters.awaitQueued(count, thread -> true, Duration.ofSeconds(10));
        assertThat(waiting).isEqualTo(count);
    }

    /** One pipeline sent: how many {@code EVALSHA} and {@code EVAL} calls it carried. */
    record Pipelined(int evalsha, int eval) {
        int calls() {
            return evalsha + eval;
        }
    }

    /** Holds the first thread that passes it until released. */
    static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean(true);

        void pass() {
            if (armed.compareAndSet(true, false)) {
                entered.countDown();
                try {
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the gate was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS))
                    .as("a thread reached the gate")
                    .isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    /**
     * A client that counts lone {@code EVAL}s of the mark script (the only script with {@code SETBIT}) and the
     * pipelines it hands out, and can hold the next lone mark or the next pipeline's sync.
     */
    static final class CountingJedis extends JedisPooled {
        final AtomicInteger loneMarks = new AtomicInteger();
        final List<Pipelined> pipelines = Collections.synchronizedList(new ArrayList<>());
        private volatile Gate loneGate;
        private volatile Gate syncGate;
        private volatile Runnable beforePipeline;

        CountingJedis(HostAndPort address) {
            super(
                    address,
                    DefaultJedisClientConfig.builder()
                            .connectionTimeoutMillis(2_000)
                            .socketTimeoutMillis(2_000)
                            .build());
        }

        Gate holdNextLoneMark() {
            Gate gate = new Gate();
            loneGate = gate;
            return gate;
        }

        Gate holdNextSync() {
            Gate gate = new Gate();
            syncGate = gate;
            return gate;
        }

        void beforeNextPipeline(Runnable hook) {
            beforePipeline = hook;
        }

        @Override
        public Object eval(String script, List<String> keys, List<String> args) {
            if (script.contains("SETBIT")) {
                loneMarks.incrementAndGet();
                Gate gate = loneGate;
                if (gate != null) {
                    loneGate = null;
                    gate.pass();
                }
            }
            return super.eval(script, keys, args);
        }

        @Override
        public Pipeline pipelined() {
            Runnable hook = beforePipeline;
            if (hook != null) {
                beforePipeline = null;
                hook.run();
            }
            return new CountingPipeline(provider.getConnection());
        }

        private final class CountingPipeline extends Pipeline {
            private int evalsha;
            private int eval;
            private boolean sent;

            CountingPipeline(Connection connection) {
                super(connection, true);
            }

            @Override
            public Response<Object> evalsha(String sha1, List<String> keys, List<String> args) {
                evalsha++;
                return super.evalsha(sha1, keys, args);
            }

            @Override
            public Response<Object> eval(String script, List<String> keys, List<String> args) {
                eval++;
                return super.eval(script, keys, args);
            }

            @Override
            public void sync() {
                if (!sent && evalsha + eval > 0) {
                    sent = true;
                    pipelines.add(new Pipelined(evalsha, eval));
                    Gate gate = syncGate;
                    if (gate != null) {
                        syncGate = null;
                        gate.pass();
                    }
                }
                super.sync();
            }
        }
    }
}
