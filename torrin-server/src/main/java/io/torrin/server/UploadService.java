/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.core.UploadStatus;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ReadableStorage;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The upload engine: creates uploads, accepts their chunks in any order and in parallel, reports their status,
 * completes and aborts them, and sweeps expired ones. Framework-agnostic: HTTP adapters and batch jobs call the
 * same methods. The append model (tus) is {@link #appends()}.
 *
 * <pre>{@code
 * UploadService service = UploadService.builder()
 *     .storage(LocalStorageDriver.create(Path.of("./uploads")))
 *     .store(FileUploadStore.create(Path.of("./uploads/.torrin")))
 *     .build();
 * UploadSession session = service.initUpload(InitUploadRequest.builder()
 *     .fileName("video.mp4").fileSize(100_000_000L).mimeType("video/mp4").build());
 * service.handleChunk(ChunkRequest.of(session.uploadId(), 0, session.expectedChunkSize(0), in));
 * CompleteResult result = service.completeUpload(session.uploadId());
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A chunk is recorded as received only after the driver stored it durably and its byte count (and hash,
 *       if given) were verified while streaming; a short, long, corrupt or interrupted chunk is never
 *       recorded and the upload stays resumable.</li>
 *   <li>A received chunk is never rewritten: a re-send is read, verified and acknowledged, and the stored
 *       bytes are kept. One chunk index is written by one request at a time.</li>
 *   <li>Chunk writes of one upload run in parallel; complete and abort exclude them. Locks are per upload,
 *       waits are bounded by {@link UploadServiceBuilder#lockTimeout(Duration)} and end in {@code UPLOAD_LOCKED}.</li>
 *   <li>Exactly one complete finalizes an upload; concurrent ones get {@code UPLOAD_ALREADY_COMPLETED}.</li>
 *   <li>Every failure is a {@link TorrinException}; client mistakes never surface as {@code INTERNAL_ERROR}.</li>
 * </ul>
 *
 * <p>Thread-safe. The service owns only the threads it starts (event delivery, expiry sweep), which
 * {@link #close()} stops; it never closes the storage driver, the store or a caller's executor, nor the
 * streams callers pass in. Every method but {@link #close()} throws {@link IllegalStateException} once closed.
 */
public final class UploadService implements AutoCloseable {

    private final Engine engine;
    private final ChunkedOperations chunks;
    private final ExpirySweeper sweeper;
    private final BodyWatchdog watchdog;
    private final Optional<AppendUploads> appends;
    private final Optional<Downloads> downloads;
    private final RunningWrites running;

    UploadService(UploadServiceBuilder builder) {
        this.engine = new Engine(builder);
        this.running = new RunningWrites(engine);
        this.chunks = new ChunkedOperations(engine, running);
        this.appends = engine.storage instanceof AppendableStorage appendable
                ? Optional.of(new AppendUploads(engine, appendable, running))
                : Optional.empty();
        this.downloads = engine.storage instanceof ReadableStorage readable
                ? Optional.of(new Downloads(engine, readable))
                : Optional.empty();
        this.sweeper = new ExpirySweeper(engine, builder.sweepInterval);
        this.watchdog = new BodyWatchdog(running, builder.minimumDataRate, builder.dataRateWindow);
    }

    /**
     * Starts a builder. {@link UploadServiceBuilder#storage} and {@link UploadServiceBuilder#store} are required.
     *
     * @return a new builder
     */
    public static UploadServiceBuilder builder() {
        return new UploadServiceBuilder();
    }

    /**
     * Creates an upload for a caller without context; see {@link #initUpload(InitUploadRequest, RequestContext)}.
     *
     * @param request the request, not null
     * @return the new session
     */
    public UploadSession initUpload(InitUploadRequest request) {
        return initUpload(request, RequestContext.none());
    }

    /**
     * Creates an upload: validates the request, runs the init hooks, negotiates the chunk size, prepares storage
     * and saves the session.
     *
     * @param request the request, not null
     * @param context the caller, not null
     * @return the new session, {@link UploadState#PENDING}, with the negotiated {@code chunkSize} and
     *     {@code totalChunks}
     * @throws TorrinException {@code INVALID_REQUEST} for a missing or non-positive file size or a bad file
     *     name, MIME type, metadata or chunk wish; {@code FILE_TOO_LARGE}; {@code PAYLOAD_TOO_LARGE} for
     *     oversized metadata; a hook's error; {@code STORAGE_ERROR}
     */
    public UploadSession initUpload(InitUploadRequest request, RequestContext context) {
        return initUpload(request, Map.of(), context);
    }

    /**
     * Creates an upload with protocol attributes: facts a protocol keeps with the upload from its creation on and
     * finds again in {@link CompleteResult#attributes()} (the Torrin protocol keeps the JSON types of the metadata
     * it received). Otherwise as {@link #initUpload(InitUploadRequest, RequestContext)}.
     *
     * @param request the request, not null
     * @param attributes the protocol's attributes, not null; stored with the upload, never shown to hooks
     * @param context the caller, not null
     * @return the new session
     * @throws TorrinException as {@link #initUpload(InitUploadRequest, RequestContext)}
     */
    public UploadSession initUpload(InitUploadRequest request, Map<String, String> attributes, RequestContext context) {
        return engine.observe(UploadOperation.INIT, Optional.empty(), required(context), trace -> {
            UploadSession session =
                    engine.create(request, context, false, attributes).session();
            trace.uploadId(session.uploadId());
            return session;
        });
    }

    /**
     * Stores a chunk for a caller without context; see {@link #handleChunk(ChunkRequest, RequestContext)}.
     *
     * @param request the chunk, not null
     * @return the result
     */
    public ChunkResult handleChunk(ChunkRequest request) {
        return handleChunk(request, RequestContext.none());
    }

    /**
     * Stores one chunk. Reads the request's stream to its end (and one byte past, to detect an overlong body);
     * does not close it.
     *
     * @param request the chunk, not null
     * @param context the caller, not null
     * @return the result; {@link ChunkResult#alreadyReceived()} tells an idempotent re-send
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id or hash; {@code UPLOAD_NOT_FOUND}
     *     (also for expired uploads); {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_CANCELED};
     *     {@code CHUNK_OUT_OF_RANGE}; {@code CHUNK_SIZE_MISMATCH} when the declared or the streamed byte count
     *     is wrong or the stream broke off; {@code CHUNK_HASH_MISMATCH}; {@code UPLOAD_LOCKED}; a hook's error;
     *     {@code STORAGE_ERROR}. In every error case the chunk is not recorded.
     */
    public ChunkResult handleChunk(ChunkRequest request, RequestContext context) {
        Objects.requireNonNull(request, "request");
        return engine.observe(
                UploadOperation.CHUNK,
                Optional.ofNullable(request.uploadId()),
                required(context),
                trace -> chunks.handleChunk(request, context));
    }

    /**
     * Reports an upload's status for a caller without context; see {@link #getStatus(String, RequestContext)}.
     *
     * @param uploadId the id, not null
     * @return the status
     */
    public UploadStatus getStatus(String uploadId) {
        return getStatus(uploadId, RequestContext.none());
    }

    /**
     * Reports an upload's state and which chunks are stored. Does not lock and does not extend the expiry.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return the status
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id; {@code UPLOAD_NOT_FOUND} (also for
     *     expired uploads); a hook's error; {@code STORAGE_ERROR}
     */
    public UploadStatus getStatus(String uploadId, RequestContext context) {
        return engine.observe(
                UploadOperation.STATUS,
                Optional.ofNullable(uploadId),
                required(context),
                trace -> chunks.getStatus(uploadId, context));
    }

    /**
     * Completes an upload without verifying a whole-file hash, for a caller without context; see
     * {@link #completeUpload(String, Optional, RequestContext)}.
     *
     * @param uploadId the id, not null
     * @return the result
     */
    public CompleteResult completeUpload(String uploadId) {
        return completeUpload(uploadId, Optional.empty(), RequestContext.none());
    }

    /**
     * Completes an upload after verifying the whole file's SHA-256, for a caller without context; see
     * {@link #completeUpload(String, Optional, RequestContext)}.
     *
     * @param uploadId the id, not null
     * @param sha256 the whole file's SHA-256 in hex (optionally prefixed {@code sha256:}), not null
     * @return the result
     */
    public CompleteResult completeUpload(String uploadId, String sha256) {
        return completeUpload(uploadId, Optional.of(sha256), RequestContext.none());
    }

    /**
     * Completes an upload: checks that every chunk is stored, optionally verifies the whole file's SHA-256
     * (reading the staged bytes once), and makes the file final. Holds the upload exclusively meanwhile; exactly
     * one concurrent complete succeeds.
     *
     * @param uploadId the id, not null
     * @param sha256 the whole file's SHA-256 in hex (optionally prefixed {@code sha256:}) to verify, or empty
     * @param context the caller, not null
     * @return the result
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id or hash (or a hash the storage cannot
     *     verify); {@code UPLOAD_NOT_FOUND}; {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_CANCELED};
     *     {@code MISSING_CHUNKS} with the list in the details; {@code FILE_HASH_MISMATCH} (the upload stays
     *     completable); {@code UPLOAD_LOCKED}; a hook's error; {@code STORAGE_ERROR} (completable again)
     */
    public CompleteResult completeUpload(String uploadId, Optional<String> sha256, RequestContext context) {
        return engine.observe(
                UploadOperation.COMPLETE,
                Optional.ofNullable(uploadId),
                required(context),
                trace -> chunks.completeUpload(uploadId, sha256, context));
    }

    /**
     * Aborts an upload for a caller without context; see {@link #abortUpload(String, RequestContext)}.
     *
     * @param uploadId the id, not null
     */
    public void abortUpload(String uploadId) {
        abortUpload(uploadId, RequestContext.none());
    }

    /**
     * Aborts an upload: discards its stored bytes and marks it canceled. Aborting a canceled upload again does
     * nothing.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id; {@code UPLOAD_NOT_FOUND};
     *     {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_LOCKED}; a hook's error; {@code STORAGE_ERROR}
     */
    public void abortUpload(String uploadId, RequestContext context) {
        engine.observe(UploadOperation.ABORT, Optional.ofNullable(uploadId), required(context), trace -> {
            chunks.abortUpload(uploadId, context);
            return null;
        });
    }

    /**
     * Returns the largest file size this service accepts (configured, storage and chunk limits combined).
     *
     * @return the size in bytes
     */
    public long maxFileSize() {
        return engine.sizing.maxFileSize();
    }

    /**
     * Returns the append model of this service (tus and other offset-based protocols), available when the storage
     * driver implements {@link AppendableStorage}. Protocol handlers that need it call this when they are built, so
     * a configuration that cannot work fails at startup.
     *
     * @return the append model; always the same instance
     * @throws IllegalStateException if the storage driver cannot store appends
     */
    public AppendUploads appends() {
        return appends.orElseThrow(() -> new IllegalStateException("the storage driver "
                + engine.storageClass.getName() + " does not implement " + AppendableStorage.class.getName()
                + ", so this service cannot serve append uploads (tus)"));
    }

    /**
     * Returns the way to read completed uploads back (both models), available when the storage driver implements
     * {@link ReadableStorage}. Protocol handlers with downloads switched on call this when they are built, so a
     * configuration that cannot work fails at startup.
     *
     * @return the downloads; always the same instance
     * @throws IllegalStateException if the storage driver cannot read completed files
     */
    public Downloads downloads() {
        return downloads.orElseThrow(() -> new IllegalStateException("the storage driver "
                + engine.storageClass.getName() + " does not implement " + ReadableStorage.class.getName()
                + ", so this service cannot serve downloads"));
    }

    /**
     * Runs one expiry sweep now: unfinished uploads past their expiry are aborted in storage and removed (an
     * {@code EXPIRED} event each); completed and canceled ones past their retention are removed. Works in
     * batches, skips uploads that are busy (they are retried by the next sweep) and never waits for a lock, so
     * it does not stall requests.
     *
     * @return how many uploads were removed
     */
    public int sweepExpired() {
        return sweeper.sweep();
    }

    /**
     * Stops the service's own threads: the expiry sweep and, unless an executor was supplied, event delivery
     * (events already queued are delivered first, for at most five seconds). Idempotent. Other methods fail
     * with {@link IllegalStateException} afterwards.
     */
    /**
     * Shuts the service down gracefully, for an application that stops (the Spring starter calls it from its
     * {@code SmartLifecycle}): from this call on, every new operation fails with {@code SERVICE_UNAVAILABLE} (HTTP
     * 503 with {@code Retry-After}, retryable), so clients retry against another instance or after the restart;
     * the expiry sweep and the data-rate watchdog stop; every chunk and append body being received is ended (an
     * ended append keeps and records the bytes it stored, as when a client stops sending; an ended chunk fails and
     * is not recorded, so its client sends it again); then it waits until the running operations have returned,
     * at most {@code grace}, and delivers the queued events. The service keeps answering 503 until
     * {@link #close()}. Idempotent; thread-safe.
     *
     * @param grace the longest wait for running operations, zero or positive, not null
     * @return {@code true} if every running operation returned within the grace period
     * @throws IllegalArgumentException if grace is negative
     */
    public boolean shutdown(Duration grace) {
        if (Objects.requireNonNull(grace, "grace").isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        engine.drain();
        sweeper.close();
        watchdog.close();
        running.bodies().forEach(body -> body.evict("the server is shutting down"));
        boolean idle = engine.awaitIdle(deadline);
        engine.events.close();
        return idle;
    }

    @Override
    public void close() {
        engine.close();
        sweeper.close();
        watchdog.close();
        engine.events.close();
    }

    static RequestContext required(RequestContext context) {
        return Objects.requireNonNull(context, "context");
    }
}
