/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.EvictableSource;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one eviction mechanism: the request bodies being written on this instance, by the lock key their write
 * holds (an append upload's id; {@code uploadId#index} for a chunk), so that a request for the same upload can end
 * a stalled one (a half-open connection) instead of waiting for it, and the {@link BodyWatchdog} can end one that
 * is too slow. An ended append keeps and records what it stored, as if its client had stopped sending; an ended
 * chunk fails as broken off and is not recorded. Callers are authorized first: the status hooks decide whether a
 * caller may touch the upload at all, so that nobody can cut off someone else's upload. Thread-safe.
 */
final class RunningWrites {

    /** How often a request waiting for a lock looks for a running write to end. */
    static final Duration EVICTION_SLICE = Duration.ofMillis(50);

    /** How long a chunk's body must have brought no byte before a re-send of the chunk ends it, at most. */
    private static final Duration CHUNK_STALLED_AFTER = Duration.ofSeconds(1);

    private final Engine engine;
    private final ConcurrentMap<String, EvictableSource> running = new ConcurrentHashMap<>();

    RunningWrites(Engine engine) {
        this.engine = engine;
    }

    /** Registers a body being written under its lock key; {@link #finished} must follow. */
    void started(String key, EvictableSource body) {
        running.put(key, body);
        if (engine.isDraining()) {
            body.evict("the server is shutting down");
        }
    }

    /** Unregisters a body whose write has finished (recorded or failed) and wakes who waits for it. */
    void finished(String key, EvictableSource body) {
        running.remove(key, body);
        body.markFinished();
    }

    /** The bodies being written now, for the watchdog. */
    Collection<EvictableSource> bodies() {
        return running.values();
    }

    /**
     * Ends the write running under a key, if any, after the status hooks accepted the caller, and waits (at most
     * the lock timeout) until it has finished.
     *
     * @return {@code true} if a write was running and has finished
     */
    boolean interrupt(String key, String uploadId, RequestContext context) {
        Objects.requireNonNull(context, "context");
        EvictableSource body = running.get(Objects.requireNonNull(key, "key"));
        if (body == null) {
            return false;
        }
        authorize(uploadId, context);
        body.evict("another request for the upload arrived");
        return body.awaitFinished(engine.lockTimeout);
    }

    /**
     * Ends every chunk write of an upload running on this instance (an abort makes them moot), after the status
     * hooks accepted the caller.
     */
    void interruptChunks(String uploadId, RequestContext context) {
        String prefix = uploadId + "#";
        boolean allowed = false;
        for (var entry : running.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                if (!allowed) {
                    authorize(uploadId, context);
                    allowed = true;
                }
                entry.getValue().evict("the upload is being aborted");
            }
        }
    }

    /**
     * Acquires a lock exclusively, waiting at most the lock timeout, and meanwhile ends a write running under the
     * same key on this instance once no byte has reached it for {@code stalledAfter} (after the status hooks
     * accepted the caller, once). The wait is cut into short slices so that a write that took the lock just before
     * this call, and registered itself only after the first look, is ended too instead of holding the caller off for
     * the whole timeout. Appends pass zero (any running PATCH of the upload is ended, as tus clients send one request
     * per upload at a time); chunks pass {@link #chunkStalledAfter()}, so that a late request from a broken
     * connection cannot end a chunk that is arriving.
     */
    UploadLock acquireEvicting(String key, String uploadId, Duration stalledAfter, RequestContext context) {
        long start = System.nanoTime();
        long deadline = start + engine.lockTimeout.toNanos();
        boolean allowed = false;
        while (true) {
            EvictableSource body = running.get(key);
            if (body != null && body.idle().compareTo(stalledAfter) >= 0) {
                if (!allowed) {
                    authorize(uploadId, context);
                    allowed = true;
                }
                body.evict("another request for the upload arrived");
            }
            long left = deadline - System.nanoTime();
            try {
                UploadLock lock = engine.locks.acquire(
                        key,
                        LockMode.EXCLUSIVE,
                        Duration.ofNanos(Math.max(0, Math.min(left, EVICTION_SLICE.toNanos()))));
                engine.lockWaited(LockMode.EXCLUSIVE, start, true);
                return lock;
            } catch (TorrinException e) {
                if (e.code() != ErrorCode.UPLOAD_LOCKED
                        || System.nanoTime() - deadline >= 0
                        || Thread.currentThread().isInterrupted()) {
                    if (e.code() == ErrorCode.UPLOAD_LOCKED) {
                        engine.lockWaited(LockMode.EXCLUSIVE, start, false);
                    }
                    throw e;
                }
            }
        }
    }

    /** How long a chunk's body must have brought no byte before a re-send ends it: a second, or half the lock wait. */
    Duration chunkStalledAfter() {
        Duration half = engine.lockTimeout.dividedBy(2);
        return half.compareTo(CHUNK_STALLED_AFTER) < 0 ? half : CHUNK_STALLED_AFTER;
    }

    private void authorize(String uploadId, RequestContext context) {
        UploadRecord record = engine.load(uploadId);
        engine.hooks.run(hook -> hook.beforeStatus(record.session(), context));
    }
}
