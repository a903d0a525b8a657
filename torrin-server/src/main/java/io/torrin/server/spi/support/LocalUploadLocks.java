/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadLocks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-process {@link UploadLocks}: one small lock object per key that is in use, removed again when nobody
 * holds or waits for it, so memory does not grow with the number of uploads ever seen.
 *
 * <p>Locks are not owned by threads and may be released from any thread. Waiting writers have priority over
 * new readers. Thread-safe.
 */
public final class LocalUploadLocks implements UploadLocks {

    private final Map<String, KeyLock> locks = new ConcurrentHashMap<>();

    private LocalUploadLocks() {}

    /**
     * Creates an empty lock table.
     *
     * @return a new instance
     */
    public static LocalUploadLocks create() {
        return new LocalUploadLocks();
    }

    @Override
    public UploadLock acquire(String key, LockMode mode, Duration maxWait) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mode, "mode");
        long waitNanos = Objects.requireNonNull(maxWait, "maxWait").toNanos();
        KeyLock lock = locks.compute(key, (k, existing) -> {
            KeyLock l = existing == null ? new KeyLock() : existing;
            l.references++;
            return l;
        });
        boolean acquired = false;
        try {
            acquired = lock.acquire(mode, waitNanos);
        } finally {
            if (!acquired) {
                unreference(key, lock);
            }
        }
        if (!acquired) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_LOCKED,
                    "the upload is busy with another operation; retry later",
                    Map.of("retryAfterSeconds", Math.max(1, maxWait.toSeconds())));
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                lock.release(mode);
                unreference(key, lock);
            }
        };
    }

    /**
     * Returns how many keys currently have holders or waiters; for tests and monitoring.
     *
     * @return the number of keys in use
     */
    public int keysInUse() {
        return locks.size();
    }

    private void unreference(String key, KeyLock lock) {
        locks.computeIfPresent(key, (k, l) -> {
            if (l != lock) {
                return l;
            }
            l.references--;
            return l.references == 0 ? null : l;
        });
    }

    private static final class KeyLock {
        /** Guarded by the map's compute for this key. */
        int references;

        private int readers;
        private boolean writer;
        private int waitingWriters;

        synchronized boolean acquire(LockMode mode, long waitNanos) {
            long deadline = System.nanoTime() + waitNanos;
            boolean exclusive = mode == LockMode.EXCLUSIVE;
            if (exclusive) {
                waitingWriters++;
            }
            try {
                while (exclusive ? (writer || readers > 0) : (writer || waitingWriters > 0)) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                if (exclusive) {
                    waitingWriters--;
                    if (waitingWriters == 0 && !writer) {
                        notifyAll();
                    }
                }
            }
            if (exclusive) {
                writer = true;
            } else {
                readers++;
            }
            return true;
        }

        synchronized void release(LockMode mode) {
            if (mode == LockMode.EXCLUSIVE) {
                writer = false;
            } else {
                readers--;
            }
            notifyAll();
        }
    }
}
