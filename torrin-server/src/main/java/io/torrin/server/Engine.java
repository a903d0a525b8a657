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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every operation of both upload models shares: the configured collaborators and limits, and the steps of an
 * upload's life that do not depend on the model (create, finish, discard). Built once by the service; thread-safe.
 */
final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    final StorageDriver storage;
    final UploadStore store;
    final UploadLocks locks;
    final ChunkSizing sizing;
    final Duration uploadTtl;
    final Duration finishedRetention;
    final Duration lockTimeout;
    final Hooks hooks;
    final EventDispatcher events;
    private final int maxMetadataBytes;
    private final int maxUnfinishedUploads;
    private final Set<String> unfinished = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private volatile boolean closed;

    Engine(UploadServiceBuilder builder) {
        this.storage = Objects.requireNonNull(builder.storage, "storage is required");
        this.store = Objects.requireNonNull(builder.store, "store is required");
        this.locks = builder.locks.orElseGet(() -> Objects.requireNonNull(store.locks(), "store.locks()"));
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
        this.finishedRetention = builder.finishedRetention;
        this.lockTimeout = builder.lockTimeout;
        this.clock = builder.clock;
        this.hooks = new Hooks(builder.hooks);
        this.events = new EventDispatcher(builder.listeners, builder.eventExecutor);
    }

    /** The current time, to the millisecond every store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the upload service is closed");
        }
    }

    void close() {
        closed = true;
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
        return locks.acquire(key, mode, lockTimeout);
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
        events.publish(UploadEvent.Type.CREATED, session, OptionalInt.empty(), Optional.empty());
        return record;
    }

    /**
     * Makes an upload whose bytes are all stored final: completes it in storage, records {@code COMPLETED} and
     * publishes the event; the caller holds the upload's lock and has run the complete hooks.
     */
    CompleteResult finish(UploadRecord record) {
        String id = record.uploadId();
        UploadSession session = record.session();
        StorageLocation location;
        try {
            location = storage.complete(record.storageUpload());
        } catch (IOException e) {
            throw Errors.storage("could not finalize the upload", e);
        }
        Instant expiresAt = now().plus(finishedRetention);
        if (!store.transition(id, session.state(), UploadState.COMPLETED, expiresAt, Optional.of(location))) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_ALREADY_COMPLETED, "upload is already completed", Map.of("uploadId", id));
        }
        ended(id);
        UploadSession completed = session.withState(UploadState.COMPLETED, expiresAt);
        events.publish(UploadEvent.Type.COMPLETED, completed, OptionalInt.empty(), Optional.of(location));
        return new CompleteResult(completed, location, record.attributes());
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
        discard(record);
    }

    /**
     * Discards an active upload's stored bytes and marks it canceled (an {@code ABORTED} event); the caller holds
     * its lock and has run the hooks, if any apply.
     *
     * @return the canceled record
     */
    UploadRecord discard(UploadRecord record) {
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
        events.publish(UploadEvent.Type.ABORTED, canceled, OptionalInt.empty(), Optional.empty());
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
