/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.internal.ChunkSizing;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every operation of both upload models shares: the configured collaborators and limits, and the steps of an
 * upload's life that do not depend on the model (create, finish, discard). Built once by the service; thread-safe.
 */
final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    final StorageDriver storage;
    /** The configured driver's class, for messages (the driver in use may be an instrumentation's proxy). */
    final Class<?> storageClass;

    final UploadStore store;
    final UploadLocks locks;
    final ChunkSizing sizing;
    final Duration uploadTtl;
    final Duration expiryStep;
    final Duration finishedRetention;
    final Duration lockTimeout;
    final Hooks hooks;
    final EventDispatcher events;
    final UploadInstrumentation instrumentation;
    private final int maxMetadataBytes;
    private final int maxUnfinishedUploads;
    private final Set<String> unfinished = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private volatile boolean closed;
    private volatile boolean draining;
    /** Operations running now; waited for by {@link #awaitIdle}, which {@link #drain()} makes worth notifying. */
    private final AtomicInteger active = new AtomicInteger();

    private final Object idle = new Object();

    Engine(UploadServiceBuilder builder) {
        this.instrumentation = builder.instrumentation;
        StorageDriver configuredStorage = Objects.requireNonNull(builder.storage, "storage is required");
        UploadStore configuredStore = Objects.requireNonNull(builder.store, "store is required");
        this.locks = builder.locks.orElseGet(() -> Objects.requireNonNull(configuredStore.locks(), "store.locks()"));
        this.storageClass = configuredStorage.getClass();
        this.storage = Objects.requireNonNull(
                instrumentation.instrumentStorage(configuredStorage), "instrumentStorage returned null");
        this.store = Objects.requireNonNull(
                instrumentation.instrumentStore(configuredStore), "instrumentStore returned null");
        this.sizing = ChunkSizing.combine(
                builder.defaultChunkSize,
                builder.minChunkSize,
                builder.maxChunkSize,
                builder.maxChunks,
                builder.maxFileSize,
                storage.constraints());
        this.maxMetadataBytes = builder.maxMetadataBytes;
        this.maxUnfinishedUploads = builder.maxUnfinishedUploads;
        this.uploadTtl = builder.uploadTtl;
        this.expiryStep = builder.expiryStep;
        this.finishedRetention = builder.finishedRetention;
        this.lockTimeout = builder.lockTimeout;
        this.clock = builder.clock;
        this.hooks = new Hooks(builder.hooks);
        this.events = new EventDispatcher(
                builder.listeners, builder.eventExecutor, instrumentation, builder.progressInterval);
    }

    /** The current time, to the millisecond every store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The expiry an upload's activity (a chunk, an append) earns: {@code uploadTtl} from now, unless the stored
     * expiry is already within {@code expiryStep} of that, in which case the stored one, so that the store need not
     * write it.
     */
    Instant activityExpiry(UploadSession session) {
        Instant earned = now().plus(uploadTtl);
        Instant stored = session.expiresAt();
        return !stored.isAfter(earned) && stored.plus(expiryStep).compareTo(earned) >= 0 ? stored : earned;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the upload service is closed");
        }
        if (draining) {
            throw new TorrinException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the server is shutting down; retry in a moment",
                    Map.of("retryAfterSeconds", 5));
        }
    }

    /** Refuses new operations from now on with a retryable {@code SERVICE_UNAVAILABLE}. */
    void drain() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    void close() {
        closed = true;
    }

    /**
     * Runs one operation under the instrumentation's trace.
     *
     * @param operation what runs
     * @param uploadId the upload, if known before it runs
     * @param context the caller
     * @param call the operation; it may tell the trace the upload id
     * @return what the operation returned
     */
    <T> T observe(
            UploadOperation operation,
            Optional<String> uploadId,
            RequestContext context,
            Function<UploadInstrumentation.Trace, T> call) {
        active.incrementAndGet();
        try {
            if (instrumentation == UploadInstrumentation.NONE) {
                return call.apply(UploadInstrumentation.Trace.NONE);
            }
            UploadInstrumentation.Trace trace = SafeTrace.start(instrumentation, operation, uploadId, context);
            try {
                return call.apply(trace);
            } catch (RuntimeException | Error e) {
                trace.failed(e);
                throw e;
            } finally {
                trace.end();
            }
        } finally {
            if (active.decrementAndGet() == 0 && draining) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no operation runs, at most until the deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return {@code true} if none runs
     */
    boolean awaitIdle(long deadlineNanos) {
        synchronized (idle) {
            while (active.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Tells the instrumentation that bytes were accepted, ignoring its failures. */
    void received(long bytes, RequestContext context) {
        if (bytes > 0 && instrumentation != UploadInstrumentation.NONE) {
            try {
                instrumentation.received(bytes, context);
            } catch (RuntimeException e) {
                LOG.warn("Upload instrumentation failed on received bytes", e);
            }
        }
    }

    /** Tells the instrumentation how long a lock was waited for, ignoring its failures. */
    void lockWaited(LockMode mode, long startNanos, boolean acquired) {
        if (instrumentation != UploadInstrumentation.NONE) {
            try {
                instrumentation.lockWaited(mode, System.nanoTime() - startNanos, acquired);
            } catch (RuntimeException e) {
                LOG.warn("Upload instrumentation failed on a lock wait", e);
            }
        }
    }

    /** Reads an upload that exists and has not expired. */
    UploadRecord load(String uploadId) {
        UploadRecord record = store.find(uploadId).orElseThrow(() -> UploadStores.notFound(uploadId));
        if (!record.session().expiresAt().isAfter(now())) {
            throw Errors.expired(uploadId);
        }
        return record;
    }

    /** Takes a lock, waiting at most the lock timeout. */
    UploadLock lock(String key, LockMode mode) {
        return lock(key, mode, lockTimeout);
    }

    /** Takes a lock, waiting at most {@code maxWait}, and reports the wait to the instrumentation. */
    UploadLock lock(String key, LockMode mode, Duration maxWait) {
        long start = System.nanoTime();
        UploadLock lock;
        try {
            lock = locks.acquire(key, mode, maxWait);
        } catch (TorrinException e) {
            if (e.code() == ErrorCode.UPLOAD_LOCKED) {
                lockWaited(mode, start, false);
            }
            throw e;
        }
        lockWaited(mode, start, true);
        return lock;
    }

    /**
     * Creates an upload of either model: validates (a size is required for chunked uploads), runs the init hooks,
     * negotiates the chunk size, prepares storage, saves the record and publishes {@code CREATED}.
     */
    UploadRecord create(
            InitUploadRequest request, RequestContext context, boolean append, Map<String, String> attributes) {
        requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(attributes, "attributes");
        InitUploadRequest accepted =
                hooks.beforeInit(validate(request, append), context, rewritten -> validate(rewritten, append));
        if (maxUnfinishedUploads > 0 && unfinished.size() >= maxUnfinishedUploads) {
            throw new TorrinException(
                    ErrorCode.TOO_MANY_UPLOADS,
                    "this server has " + maxUnfinishedUploads
                            + " unfinished uploads, its limit; finish or abort some, or retry later",
                    Map.of("maxUnfinishedUploads", maxUnfinishedUploads, "retryAfterSeconds", 60));
        }
        Instant now = now();
        long chunkSize = sizing.negotiate(accepted.fileSize().orElse(0), accepted.desiredChunkSize());
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                accepted.fileName(),
                accepted.fileSize(),
                Validation.mimeType(accepted.mimeType()),
                accepted.metadata(),
                chunkSize,
                UploadSession.chunkCount(accepted.fileSize(), chunkSize),
                UploadState.PENDING,
                now,
                now.plus(uploadTtl));
        Map<String, String> storageState;
        try {
            storageState = storage.begin(session);
        } catch (IOException e) {
            throw Errors.storage("could not prepare storage for the upload", e);
        }
        UploadRecord record = append
                ? UploadRecord.createdForAppend(session, storageState, attributes)
                : UploadRecord.created(session, storageState, attributes);
        try {
            store.create(record);
        } catch (RuntimeException e) {
            abortQuietly(record);
            throw e;
        }
        if (maxUnfinishedUploads > 0 && (session.fileSize().isEmpty() || session.knownFileSize() > 0)) {
            unfinished.add(session.uploadId());
        }
        events.publish(UploadEvent.Type.CREATED, session, OptionalInt.empty(), Optional.empty(), context);
        return record;
    }

    /**
     * Makes an upload whose bytes are all stored final: completes it in storage, records {@code COMPLETED} and
     * publishes the event; the caller holds the upload's lock and has run the complete hooks. A whole-file SHA-256
     * the caller verified is kept in the location ({@link Download#SHA256_ATTRIBUTE}), for the download's ETag.
     */
    CompleteResult finish(UploadRecord record, Optional<String> verifiedSha256, RequestContext context) {
        String id = record.uploadId();
        UploadSession session = record.session();
        StorageLocation location;
        try {
            location = storage.complete(record.storageUpload());
        } catch (IOException e) {
            throw Errors.storage("could not finalize the upload", e);
        }
        if (verifiedSha256.isPresent()) {
            Map<String, String> attributes = new LinkedHashMap<>(location.attributes());
            attributes.put(Download.SHA256_ATTRIBUTE, verifiedSha256.get());
            location = new StorageLocation(location.type(), attributes);
        }
        Instant expiresAt = now().plus(finishedRetention);
        if (!store.transition(id, session.state(), UploadState.COMPLETED, expiresAt, Optional.of(location))) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_ALREADY_COMPLETED, "upload is already completed", Map.of("uploadId", id));
        }
        ended(id);
        UploadSession completed = session.withState(UploadState.COMPLETED, expiresAt);
        events.publish(UploadEvent.Type.COMPLETED, completed, OptionalInt.empty(), Optional.of(location), context);
        CompleteResult result = new CompleteResult(completed, location, record.attributes());
        return result.withResponseFields(hooks.afterComplete(result, context));
    }

    /**
     * Aborts an upload for a caller (idempotent for a canceled one): runs the abort hooks and discards it; the
     * caller holds its lock.
     */
    void abort(UploadRecord record, RequestContext context) {
        UploadSession session = record.session();
        if (session.state() == UploadState.CANCELED) {
            return;
        }
        UploadStores.requireActive(session);
        hooks.run(hook -> hook.beforeAbort(session, context));
        discard(record, context);
    }

    /**
     * Discards an active upload's stored bytes and marks it canceled (an {@code ABORTED} event); the caller holds
     * its lock and has run the hooks, if any apply.
     *
     * @return the canceled record
     */
    UploadRecord discard(UploadRecord record, RequestContext context) {
        UploadSession session = record.session();
        try {
            storage.abort(record.storageUpload());
        } catch (IOException e) {
            throw Errors.storage("could not discard the upload's data", e);
        }
        Instant expiresAt = now().plus(finishedRetention);
        store.transition(record.uploadId(), session.state(), UploadState.CANCELED, expiresAt, Optional.empty());
        ended(record.uploadId());
        UploadSession canceled = session.withState(UploadState.CANCELED, expiresAt);
        events.publish(UploadEvent.Type.ABORTED, canceled, OptionalInt.empty(), Optional.empty(), context);
        return record.withTransition(canceled, Optional.empty());
    }

    /** Forgets an upload that is no longer unfinished (completed, canceled or expired) for the unfinished cap. */
    void ended(String uploadId) {
        unfinished.remove(uploadId);
    }

    private InitUploadRequest validate(InitUploadRequest request, boolean append) {
        if (request.fileSize().isEmpty() && !append) {
            throw Errors.invalid("fileSize is required");
        }
        long minimum = append ? 0 : 1;
        if (request.fileSize().isPresent() && request.fileSize().getAsLong() < minimum) {
            throw Errors.invalid(append ? "fileSize must not be negative" : "fileSize must be a positive integer");
        }
        request.fileName().ifPresent(Validation::fileName);
        Validation.mimeType(request.mimeType());
        Validation.metadata(request.metadata(), maxMetadataBytes);
        if (request.desiredChunkSize().isPresent() && request.desiredChunkSize().getAsLong() < 1) {
            throw Errors.invalid("desiredChunkSize must be a positive integer");
        }
        return request;
    }

    private void abortQuietly(UploadRecord record) {
        try {
            storage.abort(record.storageUpload());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not discard the storage of upload {} that failed to be saved", record.uploadId(), e);
        }
    }
}
