package io.torrin.server;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.AppendBody;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one eviction mechanism: the request bodies being written on this instance, by lock key, so that a request
 * for the same upload can end a stalled one (a half-open connection) instead of waiting for it. An ended write keeps
 * what it stored and records it, as if its client had stopped sending. Callers are authorized first: the status
 * hooks decide whether a caller may touch the upload at all, so that nobody can cut off someone else's upload.
 * Thread-safe.
 */
final class RunningWrites {

    /** How often a request waiting for a lock looks for a running write to end. */
    static final Duration EVICTION_SLICE = Duration.ofMillis(50);

    private final Engine engine;
    private final ConcurrentMap<String, AppendBody> running = new ConcurrentHashMap<>();

    RunningWrites(Engine engine) {
        this.engine = engine;
    }

    /** Registers a body being written under a key; {@link #finished} must follow. */
    void started(String key, AppendBody body) {
        running.put(key, body);
    }

    /** Unregisters a body whose write has finished (recorded or failed) and wakes who waits for it. */
    void finished(String key, AppendBody body) {
        running.remove(key, body);
        body.markFinished();
    }

    /**
     * Ends the write of an upload running under its id, if any, after the status hooks accepted the caller, and
     * waits (at most the lock timeout) until it has recorded what it stored.
     *
     * @return {@code true} if a write was running and has finished
     */
    boolean interrupt(String uploadId, RequestContext context) {
        Objects.requireNonNull(context, "context");
        AppendBody body = running.get(Objects.requireNonNull(uploadId, "uploadId"));
        if (body == null) {
            return false;
        }
        authorize(uploadId, context);
        body.evict();
        return body.awaitFinished(engine.lockTimeout);
    }

    /**
     * Acquires an upload's lock exclusively, waiting at most the lock timeout, and meanwhile ends a write of it
     * running on this instance (after the status hooks accepted the caller, once). The wait is cut into short
     * slices so that a write that took the lock just before this call, and registered itself only after the first
     * look, is ended too instead of holding the caller off for the whole timeout.
     */
    UploadLock acquireEvicting(String uploadId, RequestContext context) {
        long deadline = System.nanoTime() + engine.lockTimeout.toNanos();
        boolean allowed = false;
        while (true) {
            AppendBody body = running.get(uploadId);
            if (body != null) {
                if (!allowed) {
                    authorize(uploadId, context);
                    allowed = true;
                }
                body.evict();
            }
            long left = deadline - System.nanoTime();
            try {
                return engine.locks.acquire(
                        uploadId,
                        LockMode.EXCLUSIVE,
                        Duration.ofNanos(Math.max(0, Math.min(left, EVICTION_SLICE.toNanos()))));
            } catch (TorrinException e) {
                if (e.code() != ErrorCode.UPLOAD_LOCKED
                        || System.nanoTime() - deadline >= 0
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    private void authorize(String uploadId, RequestContext context) {
        UploadRecord record = engine.load(uploadId);
        engine.hooks.run(hook -> hook.beforeStatus(record.session(), context));
    }
}
