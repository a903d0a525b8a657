/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.support.DaemonThreads;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry sweep: unfinished uploads past their expiry are aborted in storage and removed (an {@code EXPIRED}
 * event each); completed and canceled ones past their retention are removed. Works in batches, skips busy uploads
 * (the next sweep retries them) and never waits for a lock. Owns the thread that runs it on a schedule, if one is
 * configured. Thread-safe.
 */
final class ExpirySweeper {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
    private static final int BATCH = 100;
    private static final int MAX_PER_RUN = 10_000;

    private final Engine engine;
    private final ScheduledExecutorService scheduler;

    /**
     * Creates the sweeper and starts its schedule.
     *
     * @param engine the engine
     * @param interval how often to sweep; zero for never (the application calls {@link #sweep()})
     */
    ExpirySweeper(Engine engine, Duration interval) {
        this.engine = engine;
        if (interval.isZero()) {
            this.scheduler = null;
        } else {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("torrin-expiry-sweep"));
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::scheduledSweep, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one sweep now; returns how many uploads were removed. */
    int sweep() {
        engine.requireOpen();
        long start = System.nanoTime();
        Instant now = engine.now();
        int removed = 0;
        Set<String> skipped = new HashSet<>();
        while (removed + skipped.size() < MAX_PER_RUN) {
            List<UploadRecord> batch = new ArrayList<>(engine.store.findExpired(now, BATCH + skipped.size()));
            batch.removeIf(record -> skipped.contains(record.uploadId()));
            if (batch.isEmpty()) {
                break;
            }
            for (UploadRecord record : batch) {
                if (expire(record.uploadId(), now)) {
                    removed++;
                } else {
                    skipped.add(record.uploadId());
                }
            }
        }
        try {
            engine.instrumentation.swept(removed, System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed on a sweep", e);
        }
        return removed;
    }

    /** Stops the schedule; a sweep that is running ends at its next interruptible step. */
    void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private boolean expire(String uploadId, Instant now) {
        UploadLock lock;
        try {
            lock = engine.locks.acquire(uploadId, LockMode.EXCLUSIVE, Duration.ZERO);
        } catch (TorrinException e) {
            return false;
        }
        try (lock) {
            Optional<UploadRecord> current = engine.store.find(uploadId);
            if (current.isEmpty()) {
                return false;
            }
            UploadRecord record = current.get();
            UploadSession session = record.session();
            if (session.expiresAt().isAfter(now)) {
                return false;
            }
            if (session.state().isActive()) {
                engine.storage.abort(record.storageUpload());
            }
            if (!engine.store.delete(uploadId)) {
                return false;
            }
            engine.ended(uploadId);
            if (session.state().isActive()) {
                engine.events.publish(
                        UploadEvent.Type.EXPIRED,
                        session,
                        OptionalInt.empty(),
                        Optional.empty(),
                        RequestContext.none());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Expiry sweep could not remove upload {}; the next sweep retries", uploadId, e);
            return false;
        }
    }

    private void scheduledSweep() {
        try {
            int removed = sweep();
            if (removed > 0) {
                LOG.debug("Expiry sweep removed {} uploads", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("Expiry sweep failed; it runs again at the next interval", e);
        }
    }
}
