/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.support.LeaseLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of locks shared by several processes ({@link LeaseLocks} over a database or Redis). Each call of
 * {@link #createLocks(Duration)} stands for another process on the same backend. Leases are one second, so these
 * tests take a few seconds.
 */
public abstract class SharedLocksCompatibilityKit {

    /** The lease the kit uses. */
    protected static final Duration LEASE = Duration.ofSeconds(1);

    private final List<LeaseLocks> created = new ArrayList<>();

    /**
     * Creates a lock table on the shared backend, as another process would.
     *
     * @param lease the lease
     * @return a new instance; the kit closes it
     * @throws Exception if it cannot be created
     */
    protected abstract LeaseLocks createLocks(Duration lease) throws Exception;

    private LeaseLocks process() throws Exception {
        LeaseLocks locks = createLocks(LEASE);
        created.add(locks);
        return locks;
    }

    @AfterEach
    void closeAll() {
        created.forEach(LeaseLocks::close);
    }

    private static void assertLocked(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_LOCKED));
    }

    @Test
    @DisplayName("holders in two processes exclude each other: never two exclusive holders at once")
    void mutualExclusionAcrossProcesses() throws Exception {
        LeaseLocks a = process();
        LeaseLocks b = process();
        String key = UploadIds.generate();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Concurrently.run(6, worker -> {
            LeaseLocks locks = worker % 2 == 0 ? a : b;
            for (int i = 0; i < 15; i++) {
                try (UploadLock lock = locks.acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(30))) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                }
            }
            return null;
        });
        assertThat(maxInside).hasValue(1);
    }

    @Test
    @DisplayName("shared holders in two processes coexist and keep an exclusive request of a third out")
    void sharedAcrossProcesses() throws Exception {
        String key = UploadIds.generate();
        LeaseLocks c = process();
        try (UploadLock a = process().acquire(key, LockMode.SHARED, Duration.ZERO);
                UploadLock b = process().acquire(key, LockMode.SHARED, Duration.ZERO)) {
            assertLocked(() -> c.acquire(key, LockMode.EXCLUSIVE, Duration.ofMillis(100)));
        }
        c.acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(5)).close();
    }

    @Test
    @DisplayName("a crashed holder's lock frees itself within one lease")
    void crashedHolderLeaseExpires() throws Exception {
        String key = UploadIds.generate();
        LeaseLocks crashing = process();
        crashing.acquire(key, LockMode.EXCLUSIVE, Duration.ZERO);
        crashing.close();
        long start = System.nanoTime();
        try (UploadLock lock = process().acquire(key, LockMode.EXCLUSIVE, LEASE.multipliedBy(5))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LEASE.multipliedBy(3));
        }
    }

    @Test
    @DisplayName("a live holder keeps its lock for many leases by renewing it")
    void liveHolderRenews() throws Exception {
        String key = UploadIds.generate();
        LeaseLocks other = process();
        try (UploadLock held = process().acquire(key, LockMode.EXCLUSIVE, Duration.ZERO)) {
            assertLocked(() -> other.acquire(key, LockMode.EXCLUSIVE, LEASE.multipliedBy(3)));
        }
    }

    @Test
    @DisplayName("a holder whose lease ran out cannot release the lock its successor holds (fencing)")
    void fencing() throws Exception {
        String key = UploadIds.generate();
        LeaseLocks stale = process();
        UploadLock staleHandle = stale.acquire(key, LockMode.EXCLUSIVE, Duration.ZERO);
        stale.close();
        LeaseLocks third = process();
        try (UploadLock successor = process().acquire(key, LockMode.EXCLUSIVE, LEASE.multipliedBy(5))) {
            staleHandle.close();
            assertLocked(() -> third.acquire(key, LockMode.EXCLUSIVE, Duration.ofMillis(200)));
        }
    }

    @Test
    @DisplayName("a waiting exclusive request keeps new shared holders out, then gets the lock")
    void writerIntent() throws Exception {
        String key = UploadIds.generate();
        LeaseLocks readers = process();
        LeaseLocks writer = process();
        UploadLock reading = readers.acquire(key, LockMode.SHARED, Duration.ZERO);
        CompletableFuture<UploadLock> waiting =
                CompletableFuture.supplyAsync(() -> writer.acquire(key, LockMode.EXCLUSIVE, Duration.ofSeconds(20)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean keptOut = false;
        while (!keptOut && System.nanoTime() < deadline) {
            try {
                readers.acquire(key, LockMode.SHARED, Duration.ZERO).close();
            } catch (TorrinException e) {
                keptOut = e.code() == ErrorCode.UPLOAD_LOCKED;
            }
        }
        assertThat(keptOut)
                .as("a new shared request was refused while the writer waited")
                .isTrue();
        reading.close();
        waiting.get(20, TimeUnit.SECONDS).close();
    }
}
