/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void aSingleCallerCommitsItsItemAloneInItsOwnThread() {
        List<List<Integer>> batches = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                batch -> {
                    batches.add(List.copyOf(batch.items()));
                    threads.add(Thread.currentThread());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.complete(i, batch.items().get(i) * 10);
                    }
                },
                64);

        assertThat(commit.submit(4)).isEqualTo(40);
        assertThat(commit.submit(5)).isEqualTo(50);

        assertThat(batches).containsExactly(List.of(4), List.of(5));
        assertThat(threads).containsOnly(Thread.currentThread());
    }

    @Test
    void itemsArrivingDuringACommitShareTheNextOneAndEachGetsItsOwnOutcome() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                batch -> {
                    batches.add(List.copyOf(batch.items()));
                    if (batch.items().contains(0)) {
                        firstStarted.countDown();
                        await(releaseFirst);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.complete(i, -batch.items().get(i));
                    }
                },
                64);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Integer> first = pool.submit(() -> commit.submit(0));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                int item = i;
                waiting.add(pool.submit(() -> commit.submit(item)));
            }
            // all seven are queued behind the running commit before it is let go
            awaitQueued(7);
            releaseFirst.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < 7; i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(-(i + 1));
            }
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0)).containsExactly(0);
            assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchTakesAtMostMaxBatchItems() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Boolean> commit = new GroupCommit<>(
                batch -> {
                    sizes.add(batch.size());
                    if (batch.items().contains(-1)) {
                        firstStarted.countDown();
                        await(releaseFirst);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.complete(i, true);
                    }
                },
                3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Boolean> first = pool.submit(() -> commit.submit(-1));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> rest = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                int item = i;
                rest.add(pool.submit(() -> commit.submit(item)));
            }
            awaitQueued(7);
            releaseFirst.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            for (Future<Boolean> f : rest) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(sizes).allMatch(size -> size <= 3);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedItemFailsOnlyItsCallerAndAnOpenItemFailsWithIllegalState() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(
                batch -> {
                    int item = batch.items().get(0);
                    if (item == 1) {
                        batch.fail(0, new IllegalArgumentException("one is refused"));
                    } else if (item == 2) {
                        return; // no outcome
                    } else {
                        batch.complete(0, "ok " + item);
                    }
                    // a second outcome does not replace the first
                    batch.complete(0, "late");
                },
                8);

        assertThat(commit.submit(3)).isEqualTo("ok 3");
        assertThatThrownBy(() -> commit.submit(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("one is refused");
        assertThatThrownBy(() -> commit.submit(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no outcome");
    }

    @Test
    void aThrowingCommitterFailsEveryOpenItemOfItsBatchAndTheNextBatchStillRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                batch -> {
                    if (calls.getAndIncrement() == 0) {
                        batch.complete(0, 99);
                        throw new IllegalStateException("disk gone");
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.complete(i, 7);
                    }
                },
                8);

        // the item completed before the throw keeps its outcome
        assertThat(commit.submit(1)).isEqualTo(99);
        assertThat(commit.submit(2)).isEqualTo(7);
    }

    @Test
    void manyCallersAllGetTheirOwnOutcomeAndBatchesNeverOverlap() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Set<Integer> committed = ConcurrentHashMap.newKeySet();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                batch -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        committed.add(batch.items().get(i));
                        batch.complete(i, batch.items().get(i) + 1);
                    }
                    running.decrementAndGet();
                },
                16);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int item = i;
                results.add(pool.submit(() -> commit.submit(item)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(committed).hasSize(2000);
        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaiterStillGetsItsOutcomeAndKeepsItsInterruptFlag() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                batch -> {
                    if (batch.items().contains(0)) {
                        firstStarted.countDown();
                        await(releaseFirst);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.complete(i, batch.items().get(i));
                    }
                },
                8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            pool.submit(() -> commit.submit(0));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger outcome = new AtomicInteger(-1);
            boolean[] interruptedAfter = {false};
            Thread waiter = new Thread(() -> {
                outcome.set(commit.submit(5));
                interruptedAfter[0] = Thread.currentThread().isInterrupted();
            });
            waiter.start();
            awaitState(waiter, Thread.State.WAITING);
            waiter.interrupt();
            releaseFirst.countDown();
            waiter.join(10_000);
            assertThat(outcome.get()).isEqualTo(5);
            assertThat(interruptedAfter[0]).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new GroupCommit<Integer, Integer>(batch -> {}, 0))
                .isInstanceOf(IllegalArgumentException.class);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(batch -> {}, 1);
        assertThatThrownBy(() -> commit.submit(null)).isInstanceOf(NullPointerException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code count} callers wait in {@code submit} (seen through the thread states). */
    private static void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long waiting = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getState() == Thread.State.WAITING)
                    .filter(e -> List.of(e.getValue()).stream()
                            .anyMatch(frame -> frame.getClassName().equals(GroupCommit.class.getName())
                                    && frame.getMethodName().equals("submit")))
                    .count();
            if (waiting >= count) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("fewer than " + count + " callers queued");
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread never reached " + state);
            }
            Thread.sleep(2);
        }
    }
}
