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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UploadLocks} shared by several processes through a backend (a database, Redis), with leases: every holder
 * has an owner token and a lease that this class renews while the lock is held, so the lock of a crashed holder
 * frees itself within one lease. Release deletes only the caller's own token, so a holder whose lease ran out can
 * never release someone else's lock (fencing).
 *
 * <p>Backends implement four atomic primitives; this class adds bounded waiting (polling with backoff), writer
 * intent (an exclusive waiter registers an intent that keeps new shared holders out, so chunk writes cannot starve
 * a complete) and renewal. Thread-safe. {@link #close()} stops renewal (held locks then expire).
 */
public abstract class LeaseLocks implements UploadLocks, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseLocks.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lease;
    private final ScheduledExecutorService renewer;

    /**
     * Creates the lock table.
     *
     * @param lease how long a holder's lock lives without renewal, at least one second; renewed every third
     */
    protected LeaseLocks(Duration lease) {
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 1000) {
            throw new IllegalArgumentException("lease must be at least one second");
        }
        this.renewer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("torrin-lock-lease"));
    }

    /**
     * Atomically takes a lock if the rules allow it: expired holders and intents are ignored; {@code EXCLUSIVE}
     * needs no other live holder, {@code SHARED} needs no live exclusive holder and no live intent of another owner.
     * When an exclusive attempt fails, the backend records or refreshes the owner's intent (expiring with the
     * lease); a successful exclusive attempt removes it.
     *
     * @param key the lock name
     * @param owner the caller's unique token
     * @param mode the mode
     * @param expiresAtMillis when the holder (or intent) expires, epoch milliseconds
     * @param nowMillis the current time, epoch milliseconds
     * @return whether the lock was taken
     */
    protected abstract boolean tryAcquire(
            String key, String owner, LockMode mode, long expiresAtMillis, long nowMillis);

    /**
     * Extends a holder's lease if the holder still exists.
     *
     * @param key the lock name
     * @param owner the holder's token
     * @param expiresAtMillis the new expiry, epoch milliseconds
     * @return whether the holder existed
     */
    protected abstract boolean renew(String key, String owner, long expiresAtMillis);

    /**
     * Removes the holder or intent of this owner, and nothing else.
     *
     * @param key the lock name
     * @param owner the token
     */
    protected abstract void release(String key, String owner);

    @Override
    public UploadLock acquire(String key, LockMode mode, Duration maxWait) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mode, "mode");
        String owner = HexFormat.of().formatHex(token());
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(2);
        try {
            while (true) {
                long now = System.currentTimeMillis();
                if (tryAcquire(key, owner, mode, now + lease.toMillis(), now)) {
                    return new Held(key, owner);
                }
                if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                    if (mode == LockMode.EXCLUSIVE) {
                        release(key, owner);
                    }
                    throw new TorrinException(
                            ErrorCode.UPLOAD_LOCKED,
                            "the upload is busy with another operation; " + "retry later",
                            Map.of("retryAfterSeconds", Math.max(1, maxWait.toSeconds())));
                }
                LockSupport.parkNanos(Math.min(pause, Math.max(0, deadline - System.nanoTime())));
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (RuntimeException e) {
            if (!(e instanceof TorrinException)) {
                throw new TorrinException(ErrorCode.STORAGE_ERROR, "the lock backend failed", Map.of(), e);
            }
            throw e;
        }
    }

    /**
     * Returns the lease.
     *
     * @return the lease duration
     */
    public Duration lease() {
        return lease;
    }

    /** Stops lease renewal; locks still held expire within one lease. Idempotent. */
    @Override
    public void close() {
        renewer.shutdownNow();
    }

    private static byte[] token() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private final class Held implements UploadLock {
        private final String key;
        private final String owner;
        private final AtomicBoolean released = new AtomicBoolean();
        private final ScheduledFuture<?> renewal;

        Held(String key, String owner) {
            this.key = key;
            this.owner = owner;
            long period = Math.max(200, lease.toMillis() / 3);
            ScheduledFuture<?> scheduled = null;
            try {
                scheduled = renewer.scheduleWithFixedDelay(this::renewNow, period, period, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("Lock renewal is stopped; the lock on {} lives for one lease", key);
            }
            this.renewal = scheduled;
        }

        private void renewNow() {
            try {
                if (!released.get() && !renew(key, owner, System.currentTimeMillis() + lease.toMillis())) {
                    LOG.warn("Lost the lock on {}: its lease expired before it could be renewed", key);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lock on {}", key, e);
            }
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                if (renewal != null) {
                    renewal.cancel(false);
                }
                try {
                    release(key, owner);
                } catch (RuntimeException e) {
                    LOG.warn("Could not release the lock on {}; it expires with its lease", key, e);
                }
            }
        }
    }
}
