package io.torrin.server;

import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.PartialAppendException;
import io.torrin.server.spi.StorageDriver;
import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.BodyChecksum;
import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.core.UploadStatus;
import io.torrin.server.internal.AppendBody;
import io.torrin.server.internal.ChunkBody;
import io.torrin.server.internal.ChunkSizing;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload engine: creates uploads, accepts their chunks in any order and in parallel, reports their status,
 * completes and aborts them, and sweeps expired ones. Framework-agnostic: HTTP adapters and batch jobs call the
 * same methods.
 *
 * <pre>{@code
 * UploadService service = UploadService.builder()
 *     .storage(LocalStorageDriver.create(Path.of("./uploads")))
 *     .store(FileUploadStore.create(Path.of("./uploads/.torrin")))
 *     .build();
 * UploadSession session = service.initUpload(InitUploadRequest.builder()
 *     .fileName("video.mp4").fileSize(100_000_000L).mimeType("video/mp4").build());
 * service.handleChunk(ChunkRequest.of(session.uploadId(), 0, session.expectedChunkSize(0), in));
 * CompleteResult result = service.completeUpload(session.uploadId(), null);
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
 *       waits are bounded by {@link Builder#lockTimeout(Duration)} and end in {@code UPLOAD_LOCKED}.</li>
 *   <li>Exactly one complete finalizes an upload; concurrent ones get {@code UPLOAD_ALREADY_COMPLETED}.</li>
 *   <li>Every failure is a {@link TorrinException}; client mistakes never surface as {@code INTERNAL_ERROR}.</li>
 * </ul>
 *
 * <p>Thread-safe. The service owns only the threads it starts (event delivery, expiry sweep), which
 * {@link #close()} stops; it never closes the storage driver, the store or a caller's executor, nor the
 * streams callers pass in.
 */
public final class UploadService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    private static final int SWEEP_BATCH = 100;
    private static final int SWEEP_MAX_PER_RUN = 10_000;
    private static final long MAX_EXTRA_BYTES_READ = 1024 * 1024;
    /** How often a request waiting for an append upload's lock looks for a running append to end. */
    private static final Duration EVICTION_SLICE = Duration.ofMillis(50);

    private final StorageDriver storage;
    private final UploadStore store;
    private final UploadLocks locks;
    private final ChunkSizing sizing;
    private final int maxMetadataBytes;
    private final Duration uploadTtl;
    private final Duration finishedRetention;
    private final Duration lockTimeout;
    private final Clock clock;
    private final List<UploadHooks> hooks;
    private final List<UploadListener> listeners;
    private final Executor eventExecutor;
    private final ExecutorService ownedEventExecutor;
    private final ScheduledExecutorService sweeper;
    private final ConcurrentMap<String, AppendBody> runningAppends = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * The attribute of a concatenated append upload that lists the uploads it is made of, as ids separated by
     * single spaces, in order. See {@link #concatenate}.
     */
    public static final String PARTS_ATTRIBUTE = "torrin.parts";

    private UploadService(Builder builder) {
        this.storage = Objects.requireNonNull(builder.storage, "storage is required");
        this.store = Objects.requireNonNull(builder.store, "store is required");
        this.locks = builder.locks != null ? builder.locks : Objects.requireNonNull(store.locks(), "store.locks()");
        this.sizing = ChunkSizing.combine(builder.defaultChunkSize, builder.minChunkSize, builder.maxChunkSize,
                builder.maxChunks, builder.maxFileSize, storage.constraints());
        this.maxMetadataBytes = builder.maxMetadataBytes;
        this.uploadTtl = builder.uploadTtl;
        this.finishedRetention = builder.finishedRetention;
        this.lockTimeout = builder.lockTimeout;
        this.clock = builder.clock;
        this.hooks = List.copyOf(builder.hooks);
        this.listeners = List.copyOf(builder.listeners);
        if (builder.eventExecutor != null) {
            this.eventExecutor = builder.eventExecutor;
            this.ownedEventExecutor = null;
        } else {
            this.ownedEventExecutor = Executors.newSingleThreadExecutor(daemon("torrin-events"));
            this.eventExecutor = ownedEventExecutor;
        }
        if (builder.sweepInterval.isZero()) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("torrin-expiry-sweep"));
            long millis = builder.sweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(this::scheduledSweep, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts a builder. {@link Builder#storage} and {@link Builder#store} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates an upload for a caller without context. See {@link #initUpload(InitUploadRequest, RequestContext)}.
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
        return create(request, context, false, Map.of()).session();
    }

    /**
     * Creates an upload of either kind: validates (a size is required for chunked uploads), runs the init hooks,
     * negotiates the chunk size, prepares storage, saves the record and publishes {@code CREATED}.
     */
    private UploadRecord create(InitUploadRequest request, RequestContext context, boolean append,
            Map<String, String> attributes) {
        requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(attributes, "attributes");
        validate(request, append);
        for (UploadHooks hook : hooks) {
            InitUploadRequest current = request;
            request = callHook(() -> hook.beforeInit(current, context));
            if (request == null) {
                throw new TorrinException(ErrorCode.INTERNAL_ERROR, "an init hook returned no request");
            }
            validate(request, append);
        }
        long fileSize = request.fileSize().orElse(UploadSession.UNKNOWN_SIZE);
        long chunkSize = sizing.negotiate(Math.max(fileSize, 0), request.desiredChunkSize());
        Instant now = now();
        UploadSession session = new UploadSession(UploadIds.generate(), request.fileName(), fileSize,
                Validation.mimeType(request.mimeType()), request.metadata(), chunkSize,
                UploadSession.chunkCount(fileSize, chunkSize), UploadState.PENDING, now, now.plus(uploadTtl));
        Map<String, String> storageState;
        try {
            storageState = storage.begin(session);
        } catch (IOException e) {
            throw storageError("could not prepare storage for the upload", e);
        }
        UploadRecord record = append ? UploadRecord.createdForAppend(session, storageState, attributes)
                : UploadRecord.created(session, storageState);
        try {
            store.create(record);
        } catch (RuntimeException e) {
            abortQuietly(record);
            throw e;
        }
        publish(UploadEvent.Type.CREATED, session, OptionalInt.empty(), Optional.empty());
        return record;
    }

    /**
     * Stores a chunk for a caller without context. See {@link #handleChunk(ChunkRequest, RequestContext)}.
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
        requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        String uploadId = Validation.uploadId(request.uploadId());
        Optional<String> sha256 = Validation.sha256(request.sha256(), "chunk");
        int index = request.index();
        try (UploadLock uploadLock = locks.acquire(uploadId, LockMode.SHARED, lockTimeout);
                UploadLock chunkLock = locks.acquire(uploadId + "#" + index, LockMode.EXCLUSIVE, lockTimeout)) {
            UploadRecord record = load(uploadId);
            UploadSession session = record.session();
            UploadStores.requireActive(session);
            requireChunked(record);
            if (index < 0 || index >= session.totalChunks()) {
                throw new TorrinException(ErrorCode.CHUNK_OUT_OF_RANGE, "chunk index " + index
                        + " is outside [0, " + session.totalChunks() + ")",
                        Map.of("index", index, "totalChunks", session.totalChunks()));
            }
            long expected = session.expectedChunkSize(index);
            if (request.size() != expected && request.size() != ChunkRequest.UNKNOWN_SIZE) {
                throw sizeMismatch(index, expected, request.size(), null);
            }
            callHooks(hook -> hook.beforeChunk(session, index, context));
            ChunkBody body = new ChunkBody(request.data(), expected, sha256.isPresent());
            if (record.chunks().contains(index)) {
                try {
                    body.drain();
                } catch (IOException e) {
                    throw bodyFailure(index, expected, body, e);
                }
                verify(index, expected, sha256, body);
                return new ChunkResult(uploadId, index, session.state(), true);
            }
            try {
                storage.writeChunk(new ChunkWrite(record.storageUpload(), index, session.offsetOf(index), expected,
                        sha256, body));
            } catch (IOException | RuntimeException e) {
                throw writeFailure(index, expected, body, e);
            }
            verify(index, expected, sha256, body);
            Instant expiresAt = now().plus(uploadTtl);
            store.markChunkReceived(uploadId, index, expiresAt);
            publish(UploadEvent.Type.CHUNK_RECEIVED, UploadStores.afterMark(session, expiresAt),
                    OptionalInt.of(index), Optional.empty());
            return new ChunkResult(uploadId, index, UploadState.IN_PROGRESS, false);
        }
    }

    /**
     * Reports an upload's status for a caller without context. See {@link #getStatus(String, RequestContext)}.
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
        requireOpen();
        Objects.requireNonNull(context, "context");
        UploadRecord record = load(Validation.uploadId(uploadId));
        callHooks(hook -> hook.beforeStatus(record.session(), context));
        return new UploadStatus(record.session(), record.receivedChunks());
    }

    /**
     * Completes an upload for a caller without context. See
     * {@link #completeUpload(String, String, RequestContext)}.
     *
     * @param uploadId the id, not null
     * @param sha256 the whole file's SHA-256 in hex to verify, or null to skip verification
     * @return the result
     */
    public CompleteResult completeUpload(String uploadId, String sha256) {
        return completeUpload(uploadId, sha256, RequestContext.none());
    }

    /**
     * Completes an upload: checks that every chunk is stored, optionally verifies the whole file's SHA-256
     * (reading the staged bytes once), and makes the file final. Holds the upload exclusively meanwhile; exactly
     * one concurrent complete succeeds.
     *
     * @param uploadId the id, not null
     * @param sha256 the whole file's SHA-256 in hex (optionally prefixed {@code sha256:}) to verify, or null
     * @param context the caller, not null
     * @return the result
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id or hash (or a hash the storage cannot
     *     verify); {@code UPLOAD_NOT_FOUND}; {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_CANCELED};
     *     {@code MISSING_CHUNKS} with the list in the details; {@code FILE_HASH_MISMATCH} (the upload stays
     *     completable); {@code UPLOAD_LOCKED}; a hook's error; {@code STORAGE_ERROR} (completable again)
     */
    public CompleteResult completeUpload(String uploadId, String sha256, RequestContext context) {
        requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        Optional<String> expectedHash = Validation.sha256(Optional.ofNullable(sha256), "file");
        try (UploadLock lock = locks.acquire(id, LockMode.EXCLUSIVE, lockTimeout)) {
            UploadRecord record = load(id);
            UploadSession session = record.session();
            UploadStores.requireActive(session);
            if (record.isAppend() && !isFinished(record)) {
                throw new TorrinException(ErrorCode.MISSING_CHUNKS, "the upload has " + record.appendOffset()
                        + " of " + (session.isSizeKnown() ? session.fileSize() : "an undeclared number of")
                        + " bytes", Map.of("offset", record.appendOffset()));
            }
            if (!record.receivedChunks().isComplete()) {
                List<Integer> missing = record.receivedChunks().missing();
                throw new TorrinException(ErrorCode.MISSING_CHUNKS, missing.size() + " of "
                        + session.totalChunks() + " chunks are missing", Map.of("missingChunks", missing));
            }
            callHooks(hook -> hook.beforeComplete(session, context));
            if (expectedHash.isPresent()) {
                verifyFileHash(record, expectedHash.get());
            }
            return finish(record);
        }
    }

    private CompleteResult finish(UploadRecord record) {
        String id = record.uploadId();
        UploadSession session = record.session();
        StorageLocation location;
        try {
            location = storage.complete(record.storageUpload());
        } catch (IOException e) {
            throw storageError("could not finalize the upload", e);
        }
        Instant expiresAt = now().plus(finishedRetention);
        if (!store.transition(id, session.state(), UploadState.COMPLETED, expiresAt, Optional.of(location))) {
            throw new TorrinException(ErrorCode.UPLOAD_ALREADY_COMPLETED, "upload is already completed",
                    Map.of("uploadId", id));
        }
        UploadSession completed = session.withState(UploadState.COMPLETED, expiresAt);
        publish(UploadEvent.Type.COMPLETED, completed, OptionalInt.empty(), Optional.of(location));
        return new CompleteResult(completed, location);
    }

    /**
     * Aborts an upload for a caller without context. See {@link #abortUpload(String, RequestContext)}.
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
        requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        try (UploadLock lock = locks.acquire(id, LockMode.EXCLUSIVE, lockTimeout)) {
            abortLocked(load(id), context);
        }
    }

    private void abortLocked(UploadRecord record, RequestContext context) {
        UploadSession session = record.session();
        if (session.state() == UploadState.CANCELED) {
            return;
        }
        UploadStores.requireActive(session);
        callHooks(hook -> hook.beforeAbort(session, context));
        discard(record);
    }

    /**
     * Discards an active upload's stored bytes and marks it canceled (an {@code ABORTED} event); the caller holds
     * its lock and has run the hooks, if any apply.
     *
     * @return the canceled record
     */
    private UploadRecord discard(UploadRecord record) {
        UploadSession session = record.session();
        try {
            storage.abort(record.storageUpload());
        } catch (IOException e) {
            throw storageError("could not discard the upload's data", e);
        }
        Instant expiresAt = now().plus(finishedRetention);
        store.transition(record.uploadId(), session.state(), UploadState.CANCELED, expiresAt, Optional.empty());
        UploadSession canceled = session.withState(UploadState.CANCELED, expiresAt);
        publish(UploadEvent.Type.ABORTED, canceled, OptionalInt.empty(), Optional.empty());
        return record.withTransition(canceled, Optional.empty());
    }

    /**
     * Returns the largest file size this service accepts (configured, storage and chunk limits combined).
     *
     * @return the size in bytes
     */
    public long maxFileSize() {
        return sizing.maxFileSize();
    }

    /**
     * Creates an append upload: an upload that receives its bytes in order, at offsets, as the tus protocol sends
     * them, instead of in numbered chunks. Runs the init hooks like {@link #initUpload}. The size may be omitted
     * (declared later by an append) and may be zero (the upload is then completed at once).
     *
     * @param request the request, not null; {@code fileSize} is optional here
     * @param attributes protocol facts to keep with the upload (returned by {@link #getAppendStatus}), not null
     * @param context the caller, not null
     * @return the new upload's status: offset 0, or completed for an empty file
     * @throws TorrinException as {@link #initUpload} (a missing size is allowed)
     */
    public AppendStatus initAppendUpload(InitUploadRequest request, Map<String, String> attributes,
            RequestContext context) {
        UploadRecord record = create(request, context, true, attributes);
        UploadSession session = record.session();
        long fileSize = session.fileSize();
        if (fileSize == 0) {
            try (UploadLock lock = locks.acquire(session.uploadId(), LockMode.EXCLUSIVE, lockTimeout)) {
                return completeAppend(load(session.uploadId()), context);
            }
        }
        return appendStatus(record);
    }

    /**
     * Appends bytes to an append upload at its current offset. Reads the request's stream to its end; does not
     * close it. Holds the upload exclusively meanwhile. Runs {@link UploadHooks#beforeAppend}.
     *
     * <p>Outcome: without a checksum, every byte that reached storage before the body ended counts, also when the
     * client broke off (then the returned status is only informative). With a checksum, the bytes count only if
     * the whole body arrived and matches; otherwise the offset stays where it was. When the offset reaches the
     * size, the upload is completed in the same call (the complete hooks run, a {@code COMPLETED} event follows).
     *
     * <p>While it waits for the upload's lock, an append ends an append of the same upload that is running in this
     * service, as {@link #interruptAppend(String, RequestContext)} does (the status hooks decide first whether this
     * caller may): a client that resumes beside its own stalled request is not kept waiting, even when the stalled
     * request took the lock just after the client's request looked for it.
     *
     * @param request the append, not null
     * @param context the caller, not null
     * @return the status after the append
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id, a chunked upload, a size that cannot be
     *     declared, or a checksum trailer that did not come; {@code UPLOAD_NOT_FOUND} (also expired);
     *     {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_CANCELED}; {@code FORBIDDEN} for a concatenated upload;
     *     {@code OFFSET_MISMATCH} with the current offset; {@code PAYLOAD_TOO_LARGE} for bytes past the size;
     *     {@code FILE_TOO_LARGE} for a size above the maximum; {@code CHUNK_HASH_MISMATCH};
     *     {@code UPLOAD_LOCKED}; a hook's error; {@code STORAGE_ERROR}. In every error case the offset is
     *     unchanged.
     */
    public AppendStatus append(AppendRequest request, RequestContext context) {
        requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(request.uploadId());
        try (UploadLock lock = acquireEvicting(id, context)) {
            UploadRecord record = load(id);
            requireAppend(record);
            UploadSession session = record.session();
            if (record.attributes().containsKey(PARTS_ATTRIBUTE)) {
                throw new TorrinException(ErrorCode.FORBIDDEN, "a concatenated upload takes no appends",
                        Map.of("uploadId", id));
            }
            if (session.state() == UploadState.COMPLETED && request.offset() == record.appendOffset()) {
                if (request.length() == 0 || (request.length() == AppendRequest.UNKNOWN_LENGTH
                        && isEmpty(request.data()))) {
                    return appendStatus(record);
                }
                throw tooLarge(session.fileSize(), session.fileSize() + Math.max(1, request.length()));
            }
            if (session.state() != UploadState.CANCELED && request.offset() != record.appendOffset()) {
                throw new TorrinException(ErrorCode.OFFSET_MISMATCH, "the upload is at offset "
                        + record.appendOffset() + ", not " + request.offset(),
                        Map.of("offset", record.appendOffset()));
            }
            UploadStores.requireActive(session);
            long declared = request.declaredFileSize() == session.fileSize() ? UploadSession.UNKNOWN_SIZE
                    : request.declaredFileSize();
            long fileSize = declaredSize(record, declared);
            if (declared != UploadSession.UNKNOWN_SIZE && request.length() != AppendRequest.UNKNOWN_LENGTH
                    && request.length() > declared - record.appendOffset()) {
                throw Validation.invalid("the declared size " + declared + " is below the offset after this append",
                        Map.of("offset", record.appendOffset()));
            }
            long capacity = fileSize != UploadSession.UNKNOWN_SIZE ? fileSize : capacity(session);
            if (request.length() != AppendRequest.UNKNOWN_LENGTH
                    && request.length() > capacity - record.appendOffset()) {
                throw tooLarge(fileSize, record.appendOffset() + request.length());
            }
            callHooks(hook -> hook.beforeAppend(session, record.appendOffset(), context));
            List<String> algorithms = request.checksum().map(BodyChecksum::algorithms).orElse(List.of());
            AppendBody body;
            try {
                body = new AppendBody(request.data(), capacity - record.appendOffset(), algorithms);
            } catch (IllegalArgumentException e) {
                throw Validation.invalid("unsupported checksum algorithm in " + algorithms, Map.of());
            }
            runningAppends.put(id, body);
            try {
                long stored;
                try {
                    stored = declared == UploadSession.UNKNOWN_SIZE && fileSize == record.appendOffset() ? 0
                            : storeAppend(record, fileSize, request.length(), body);
                } catch (PartialAppendException e) {
                    if (e.stored() > 0 && request.checksum().isEmpty()) {
                        recordAppend(record, e.stored(), declared, context);
                    }
                    throw storageError("the storage failed after " + e.stored() + " of the bytes were stored",
                            (Exception) e.getCause());
                }
                if (body.probeEnd() && !body.overLimit()) {
                    throw storageError("the storage stopped reading before the body ended", null);
                }
                if (body.overLimit()) {
                    throw tooLarge(fileSize, record.appendOffset() + body.count() + 1);
                }
                if (request.checksum().isPresent()) {
                    verifyAppendChecksum(request.checksum().get(), body, stored);
                }
                return recordAppend(record, stored, declared, context);
            } finally {
                runningAppends.remove(id, body);
                body.markFinished();
            }
        }
    }

    /**
     * Ends an append of this upload that is running in this service, if any, keeping what it stored, and waits
     * (at most the lock timeout) until it has recorded that; the tus server calls this before every request for an
     * upload, so that a client that gave up on a stalled connection can resume at once. The running append's body
     * ends at once if its thread is blocked in a read that responds to interruption (servlet containers' reads
     * do), else at its next read or when the container's idle timeout ends the read; a request that then still
     * finds the upload busy gets {@code UPLOAD_LOCKED} after the lock timeout.
     *
     * @param uploadId the id, not null
     * @return {@code true} if an append was running and has finished
     */
    public boolean interruptAppend(String uploadId) {
        return interruptAppend(uploadId, RequestContext.none());
    }

    /**
     * Like {@link #interruptAppend(String)} for a caller: if an append of the upload is running, the status hooks
     * ({@link UploadHooks#beforeStatus}) decide first whether this caller may touch the upload at all, so that a
     * caller the hooks refuse cannot cut off someone else's upload.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return {@code true} if an append was running and has finished
     * @throws TorrinException a hook's error, or {@code UPLOAD_NOT_FOUND}; nothing is interrupted then
     */
    public boolean interruptAppend(String uploadId, RequestContext context) {
        Objects.requireNonNull(context, "context");
        AppendBody running = runningAppends.get(Objects.requireNonNull(uploadId, "uploadId"));
        if (running == null) {
            return false;
        }
        UploadRecord record = load(uploadId);
        callHooks(hook -> hook.beforeStatus(record.session(), context));
        running.evict();
        return running.awaitFinished(lockTimeout);
    }

    /**
     * Acquires an append upload's lock exclusively, waiting at most the lock timeout, and meanwhile ends an append
     * of it that is running in this service (after the status hooks accepted the caller, once). The wait is split
     * into short slices so that an append that took the lock just before this call, and registered itself only
     * after the caller's {@link #interruptAppend} looked, is ended too instead of holding the caller off for the
     * whole timeout.
     */
    private UploadLock acquireEvicting(String id, RequestContext context) {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        boolean allowed = false;
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return locks.acquire(id, LockMode.EXCLUSIVE,
                        Duration.ofNanos(Math.max(0, Math.min(left, EVICTION_SLICE.toNanos()))));
            } catch (TorrinException e) {
                if (e.code() != ErrorCode.UPLOAD_LOCKED || System.nanoTime() - deadline >= 0
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
            AppendBody running = runningAppends.get(id);
            if (running != null) {
                if (!allowed) {
                    UploadRecord record = load(id);
                    callHooks(hook -> hook.beforeStatus(record.session(), context));
                    allowed = true;
                }
                running.evict();
            }
        }
    }

    /**
     * Reports an append upload's offset, size and state; for a concatenated upload whose parts have meanwhile all
     * completed, concatenates them first (unless another request is doing so right now: then it reports the upload
     * as unfinished at once instead of waiting for the copy). Runs the status hooks; does not extend the expiry.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return the status, in any state
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id or a chunked upload;
     *     {@code UPLOAD_NOT_FOUND} (also expired, with {@code reason=expired}); a hook's error;
     *     {@code STORAGE_ERROR}
     */
    public AppendStatus getAppendStatus(String uploadId, RequestContext context) {
        requireOpen();
        Objects.requireNonNull(context, "context");
        UploadRecord record = load(Validation.uploadId(uploadId));
        requireAppend(record);
        callHooks(hook -> hook.beforeStatus(record.session(), context));
        if (record.attributes().containsKey(PARTS_ATTRIBUTE) && record.session().state().isActive()) {
            try {
                return concatenateIfReady(record.uploadId(), context, Duration.ZERO);
            } catch (TorrinException e) {
                if (e.code() != ErrorCode.UPLOAD_LOCKED) {
                    throw e;
                }
                // another request is copying the parts right now: report the upload as it stands
                return appendStatus(load(record.uploadId()));
            }
        }
        if (record.session().state().isActive() && isFinished(record)) {
            return finishStuck(record.uploadId(), context);
        }
        return appendStatus(record);
    }

    /**
     * Completes an append upload whose offset reached its size while completing failed (a storage or hook error
     * in the last append), so that a client that sees every byte acknowledged also finds the file completed.
     */
    private AppendStatus finishStuck(String id, RequestContext context) {
        try (UploadLock lock = locks.acquire(id, LockMode.EXCLUSIVE, lockTimeout)) {
            UploadRecord record = load(id);
            if (!record.session().state().isActive() || !isFinished(record)) {
                return appendStatus(record);
            }
            return completeAppend(record, context);
        }
    }

    /** Completes an append upload whose bytes are all stored; the caller holds its lock. */
    private AppendStatus completeAppend(UploadRecord record, RequestContext context) {
        callHooks(hook -> hook.beforeComplete(record.session(), context));
        CompleteResult result = finish(record);
        return appendStatus(record.withTransition(result.session(), Optional.of(result.location())));
    }

    /**
     * Creates an append upload made of other append uploads, in order (tus concatenation). If all parts are
     * completed the bytes are copied at once and the new upload is completed; otherwise that happens when its
     * status is asked for after the last part completed. The parts stay as they are. If a part can no longer
     * complete (terminated, expired or removed before the copy), the new upload is canceled (an {@code ABORTED}
     * event, no hooks: nobody asked for it) when its status is next asked for.
     *
     * @param request the new upload's description, not null; its {@code fileSize} must be absent
     * @param partIds the ids of the parts, in order, at least one, not null
     * @param attributes protocol facts to keep with the upload, not null; {@link #PARTS_ATTRIBUTE} is added
     * @param context the caller, not null
     * @return the new upload's status
     * @throws TorrinException {@code INVALID_REQUEST} if a part is unknown, expired, canceled or not an append
     *     upload, or a size was given; {@code FILE_TOO_LARGE} if the parts add up to more than the maximum;
     *     {@code STORAGE_ERROR}; what {@link #initAppendUpload} throws
     */
    public AppendStatus concatenate(InitUploadRequest request, List<String> partIds, Map<String, String> attributes,
            RequestContext context) {
        requireOpen();
        Objects.requireNonNull(partIds, "partIds");
        if (partIds.isEmpty()) {
            throw Validation.invalid("a concatenation needs at least one part", Map.of());
        }
        if (request.fileSize().isPresent()) {
            throw Validation.invalid("a concatenated upload takes its size from its parts", Map.of());
        }
        for (String partId : partIds) {
            UploadRecord part = store.find(Validation.uploadId(partId)).orElse(null);
            if (part == null || !part.isAppend() || !part.session().expiresAt().isAfter(now())
                    || part.session().state() == UploadState.CANCELED
                    || part.attributes().containsKey(PARTS_ATTRIBUTE)) {
                throw Validation.invalid("part " + partId + " is not an unexpired upload that can be concatenated",
                        Map.of("part", partId));
            }
        }
        Map<String, String> all = new LinkedHashMap<>(attributes);
        all.put(PARTS_ATTRIBUTE, String.join(" ", partIds));
        AppendStatus created = initAppendUpload(request, all, context);
        try {
            return concatenateIfReady(created.uploadId(), context, lockTimeout);
        } catch (TorrinException e) {
            if (e.code() != ErrorCode.STORAGE_ERROR && e.code() != ErrorCode.UPLOAD_LOCKED) {
                throw e;
            }
            LOG.warn("Concatenating upload {} failed; the next status request retries it", created.uploadId(), e);
            return created;
        }
    }

    /**
     * Copies the parts of a concatenated upload once all are completed, holding its lock (waiting at most
     * {@code wait} for it); cancels it when a part can no longer complete.
     */
    private AppendStatus concatenateIfReady(String id, RequestContext context, Duration wait) {
        try (UploadLock lock = locks.acquire(id, LockMode.EXCLUSIVE, wait)) {
            UploadRecord record = load(id);
            if (!record.session().state().isActive()) {
                return appendStatus(record);
            }
            List<UploadRecord> parts = new ArrayList<>();
            long total = 0;
            for (String partId : record.attributes().get(PARTS_ATTRIBUTE).split(" ")) {
                Optional<UploadRecord> part = store.find(partId);
                if (part.isEmpty() || !canStillComplete(part.get().session())) {
                    LOG.info("Canceling concatenated upload {}: its part {} is gone", id, partId);
                    return appendStatus(discard(record));
                }
                if (part.get().session().state() != UploadState.COMPLETED) {
                    return appendStatus(record);
                }
                parts.add(part.get());
                total = Math.addExact(total, part.get().session().fileSize());
            }
            if (total > capacity(record.session())) {
                throw tooLarge(UploadSession.UNKNOWN_SIZE, total);
            }
            UploadRecord current = record;
            if (!current.session().isSizeKnown()) {
                current = advanceTo(current, 0, total, context);
            }
            long partStart = 0;
            for (UploadRecord part : parts) {
                long length = part.session().fileSize();
                long partEnd = partStart + length;
                if (current.appendOffset() >= partEnd || length == 0) {
                    partStart = partEnd;
                    continue; // copied by an earlier attempt
                }
                if (current.appendOffset() != partStart) {
                    throw new TorrinException(ErrorCode.INTERNAL_ERROR, "concatenation of " + id + " stopped at "
                            + current.appendOffset() + ", inside part " + part.uploadId(), Map.of());
                }
                try (InputStream in = storage.open(part.location().orElseThrow())) {
                    AppendBody body = new AppendBody(in, length, List.of());
                    long stored = storeAppend(current, total, length, body);
                    if (stored != length || body.brokeOff()) {
                        throw storageError("could not copy part " + part.uploadId(), null);
                    }
                    current = advanceTo(current, stored, UploadSession.UNKNOWN_SIZE, context);
                } catch (UnsupportedOperationException e) {
                    throw new TorrinException(ErrorCode.INTERNAL_ERROR, "the configured storage cannot read"
                            + " completed uploads to concatenate them", Map.of(), e);
                } catch (PartialAppendException e) {
                    throw storageError("could not copy part " + part.uploadId(), e);
                } catch (IOException e) {
                    throw storageError("could not read part " + part.uploadId(), e);
                }
                partStart = partEnd;
            }
            if (current.session().state().isActive() && isFinished(current)) {
                return completeAppend(current, context);
            }
            return appendStatus(current);
        }
    }

    /** Tells whether a part of a concatenation is completed or may still be. */
    private boolean canStillComplete(UploadSession part) {
        return part.state() == UploadState.COMPLETED
                || part.state().isActive() && part.expiresAt().isAfter(now());
    }

    private long storeAppend(UploadRecord record, long fileSize, long length, AppendBody body)
            throws PartialAppendException {
        try {
            return storage.append(new AppendWrite(record.storageUpload(), record.appendOffset(), fileSize, length,
                    body));
        } catch (TorrinException | PartialAppendException e) {
            throw e;
        } catch (UnsupportedOperationException e) {
            throw new TorrinException(ErrorCode.INTERNAL_ERROR, "the configured storage does not support append"
                    + " uploads (tus)", Map.of(), e);
        } catch (IOException | RuntimeException e) {
            throw storageError("could not store the appended bytes", e);
        }
    }

    /** Records an append's bytes (and a declared size) without completing the upload; returns the new record. */
    private UploadRecord advanceTo(UploadRecord record, long stored, long declared, RequestContext context) {
        Instant expiresAt = now().plus(uploadTtl);
        long offset = record.appendOffset();
        if (!store.advanceOffset(record.uploadId(), offset, offset + stored, declared, expiresAt)) {
            throw new TorrinException(ErrorCode.OFFSET_MISMATCH, "the upload moved on meanwhile", Map.of());
        }
        UploadRecord advanced = UploadStores.advance(record, offset, offset + stored, declared, expiresAt)
                .orElseThrow();
        for (int index = record.appendedChunks(); index < advanced.appendedChunks(); index++) {
            publish(UploadEvent.Type.CHUNK_RECEIVED, advanced.session(), OptionalInt.of(index), Optional.empty());
        }
        return advanced;
    }

    private static void verifyAppendChecksum(BodyChecksum checksum, AppendBody body, long stored) {
        if (body.brokeOff()) {
            throw Validation.invalid("the body broke off, so its checksum cannot be verified", Map.of());
        }
        Optional<BodyChecksum.Expected> expected = checksum.expected().get();
        if (expected.isEmpty()) {
            throw Validation.invalid("the announced checksum did not arrive", Map.of());
        }
        String algorithm = expected.get().algorithm();
        byte[] actual = body.digest(algorithm).orElseThrow(() -> Validation.invalid("the checksum algorithm "
                + algorithm + " was not announced", Map.of()));
        if (!MessageDigest.isEqual(actual, expected.get().digest())) {
            throw new TorrinException(ErrorCode.CHUNK_HASH_MISMATCH, "the body does not match its "
                    + algorithm + " checksum", Map.of("algorithm", algorithm));
        }
        if (stored != body.count()) {
            throw storageError("the storage kept " + stored + " of " + body.count() + " verified bytes", null);
        }
    }

    private AppendStatus recordAppend(UploadRecord record, long stored, long declared, RequestContext context) {
        UploadRecord advanced = stored == 0 && declared == UploadSession.UNKNOWN_SIZE ? record
                : advanceTo(record, stored, declared, context);
        return isFinished(advanced) ? completeAppend(advanced, context) : appendStatus(advanced);
    }

    private static boolean isEmpty(InputStream data) {
        try {
            return data.read() < 0;
        } catch (IOException e) {
            throw Validation.invalid("the request body could not be read", Map.of());
        }
    }

    private long declaredSize(UploadRecord record, long declared) {
        UploadSession session = record.session();
        if (declared == UploadSession.UNKNOWN_SIZE) {
            return session.fileSize();
        }
        if (session.isSizeKnown()) {
            if (declared != session.fileSize()) {
                throw Validation.invalid("the upload's size is already " + session.fileSize(),
                        Map.of("fileSize", session.fileSize()));
            }
            return declared;
        }
        if (declared < record.appendOffset()) {
            throw Validation.invalid("the declared size " + declared + " is below the offset "
                    + record.appendOffset(), Map.of("offset", record.appendOffset()));
        }
        if (declared > capacity(session)) {
            throw tooLarge(UploadSession.UNKNOWN_SIZE, declared);
        }
        return declared;
    }

    private long capacity(UploadSession session) {
        long byChunks = session.chunkSize() > Long.MAX_VALUE / sizing.maxChunks() ? Long.MAX_VALUE
                : session.chunkSize() * sizing.maxChunks();
        return Math.min(sizing.maxFileSize(), byChunks);
    }

    private TorrinException tooLarge(long fileSize, long wanted) {
        if (fileSize != UploadSession.UNKNOWN_SIZE) {
            return new TorrinException(ErrorCode.PAYLOAD_TOO_LARGE, "the bytes go past the upload's size "
                    + fileSize, Map.of("fileSize", fileSize));
        }
        return new TorrinException(ErrorCode.FILE_TOO_LARGE, "the upload would grow past the maximum size",
                Map.of("maxFileSize", sizing.maxFileSize(), "fileSize", wanted));
    }

    private static boolean isFinished(UploadRecord record) {
        return record.session().isSizeKnown() && record.appendOffset() == record.session().fileSize();
    }

    private static AppendStatus appendStatus(UploadRecord record) {
        return new AppendStatus(record.session(), record.appendOffset(), record.attributes(), record.location());
    }

    private static void requireAppend(UploadRecord record) {
        if (!record.isAppend()) {
            throw Validation.invalid("upload " + record.uploadId() + " was created with the chunk protocol",
                    Map.of("uploadId", record.uploadId()));
        }
    }

    private static void requireChunked(UploadRecord record) {
        if (record.isAppend()) {
            throw Validation.invalid("upload " + record.uploadId() + " takes appends at offsets, not chunks",
                    Map.of("uploadId", record.uploadId()));
        }
    }


    /**
     * Ends an upload in any state, as the tus termination extension asks: an unfinished upload is aborted like
     * {@link #abortUpload}; a completed one is forgotten (it becomes {@code CANCELED}, keeps its location, and an
     * {@code ABORTED} event with the location follows) while its file stays, since the application owns completed
     * files; a canceled one is left alone (after the abort hooks had their say). A concatenated upload that is
     * not finished yet is aborted without copying its parts first. While it waits for the upload's lock it ends
     * a running append of the upload, as {@link #append} does.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return {@code true} if this call ended the upload, {@code false} if it was already canceled
     * @throws TorrinException as {@link #abortUpload}, except {@code UPLOAD_ALREADY_COMPLETED};
     *     {@code INVALID_REQUEST} for an upload of the chunk protocol (use {@link #abortUpload})
     */
    public boolean terminateUpload(String uploadId, RequestContext context) {
        requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        try (UploadLock lock = acquireEvicting(id, context)) {
            UploadRecord record = load(id);
            requireAppend(record);
            UploadSession session = record.session();
            if (session.state() == UploadState.CANCELED) {
                callHooks(hook -> hook.beforeAbort(session, context));
                return false;
            }
            if (session.state() != UploadState.COMPLETED) {
                abortLocked(record, context);
                return true;
            }
            callHooks(hook -> hook.beforeAbort(session, context));
            Instant expiresAt = now().plus(finishedRetention);
            if (!store.transition(id, UploadState.COMPLETED, UploadState.CANCELED, expiresAt, Optional.empty())) {
                return false;
            }
            publish(UploadEvent.Type.ABORTED, session.withState(UploadState.CANCELED, expiresAt),
                    OptionalInt.empty(), record.location());
            return true;
        }
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
        requireOpen();
        Instant now = now();
        int removed = 0;
        Set<String> skipped = new HashSet<>();
        while (removed + skipped.size() < SWEEP_MAX_PER_RUN) {
            List<UploadRecord> batch = new ArrayList<>(store.findExpired(now, SWEEP_BATCH + skipped.size()));
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
        return removed;
    }

    /**
     * Stops the service's own threads: the expiry sweep and, unless an executor was supplied, event delivery
     * (events already queued are delivered first, for at most five seconds). Idempotent. Other methods fail
     * with {@link IllegalStateException} afterwards.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        if (ownedEventExecutor != null) {
            ownedEventExecutor.shutdown();
            try {
                if (!ownedEventExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    ownedEventExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedEventExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean expire(String uploadId, Instant now) {
        UploadLock lock;
        try {
            lock = locks.acquire(uploadId, LockMode.EXCLUSIVE, Duration.ZERO);
        } catch (TorrinException e) {
            return false;
        }
        try (lock) {
            Optional<UploadRecord> current = store.find(uploadId);
            if (current.isEmpty()) {
                return false;
            }
            UploadRecord record = current.get();
            UploadSession session = record.session();
            if (session.expiresAt().isAfter(now)) {
                return false;
            }
            if (session.state().isActive()) {
                storage.abort(record.storageUpload());
            }
            if (!store.delete(uploadId)) {
                return false;
            }
            if (session.state().isActive()) {
                publish(UploadEvent.Type.EXPIRED, session, OptionalInt.empty(), Optional.empty());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Expiry sweep could not remove upload {}; the next sweep retries", uploadId, e);
            return false;
        }
    }

    private void scheduledSweep() {
        try {
            int removed = sweepExpired();
            if (removed > 0) {
                LOG.debug("Expiry sweep removed {} uploads", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("Expiry sweep failed; it runs again at the next interval", e);
        }
    }

    private void validate(InitUploadRequest request, boolean append) {
        if (request.fileSize().isEmpty() && !append) {
            throw Validation.invalid("fileSize is required", Map.of());
        }
        long minimum = append ? 0 : 1;
        if (request.fileSize().isPresent() && request.fileSize().getAsLong() < minimum) {
            throw Validation.invalid(append ? "fileSize must not be negative" : "fileSize must be a positive integer",
                    Map.of());
        }
        request.fileName().ifPresent(Validation::fileName);
        Validation.mimeType(request.mimeType());
        Validation.metadata(request.metadata(), maxMetadataBytes);
        if (request.desiredChunkSize().isPresent() && request.desiredChunkSize().getAsLong() < 1) {
            throw Validation.invalid("desiredChunkSize must be a positive integer", Map.of());
        }
    }


    private UploadRecord load(String uploadId) {
        UploadRecord record = store.find(uploadId).orElseThrow(() -> UploadStores.notFound(uploadId));
        if (!record.session().expiresAt().isAfter(now())) {
            throw new TorrinException(ErrorCode.UPLOAD_NOT_FOUND, "upload has expired",
                    Map.of("uploadId", uploadId, "reason", "expired"));
        }
        return record;
    }

    private void verify(int index, long expected, Optional<String> sha256, ChunkBody body) {
        if (body.count() < expected) {
            throw sizeMismatch(index, expected, body.count(), null);
        }
        long extra;
        try {
            extra = body.probeExtra(MAX_EXTRA_BYTES_READ);
        } catch (IOException e) {
            throw bodyFailure(index, expected, body, e);
        }
        if (extra > 0) {
            throw sizeMismatch(index, expected, expected + extra, null);
        }
        if (sha256.isPresent()) {
            String actual = body.sha256Hex();
            if (!actual.equals(sha256.get())) {
                throw new TorrinException(ErrorCode.CHUNK_HASH_MISMATCH, "chunk " + index
                        + " does not match its SHA-256", Map.of("index", index, "expected", sha256.get(),
                        "actual", actual));
            }
        }
    }

    private void verifyFileHash(UploadRecord record, String expected) {
        MessageDigest digest = ChunkBody.sha256();
        try (InputStream in = storage.openStaged(record.storageUpload())) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (UnsupportedOperationException e) {
            throw Validation.invalid("this storage cannot verify a whole-file hash before completion", Map.of());
        } catch (IOException e) {
            throw storageError("could not read the upload to verify its hash", e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new TorrinException(ErrorCode.FILE_HASH_MISMATCH, "the file does not match its SHA-256",
                    Map.of("expected", expected, "actual", actual));
        }
    }

    private TorrinException writeFailure(int index, long expected, ChunkBody body, Exception e) {
        if (e instanceof TorrinException torrin) {
            return torrin;
        }
        if (body.sourceFailure() != null) {
            return bodyFailure(index, expected, body, body.sourceFailure());
        }
        if (body.endedEarly()) {
            return sizeMismatch(index, expected, body.count(), e);
        }
        return storageError("could not store chunk " + index, e);
    }

    private static TorrinException bodyFailure(int index, long expected, ChunkBody body, IOException cause) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("index", index);
        details.put("expected", expected);
        details.put("actual", body.count());
        details.put("interrupted", true);
        return new TorrinException(ErrorCode.CHUNK_SIZE_MISMATCH, "the body of chunk " + index + " broke off after "
                + body.count() + " of " + expected + " bytes", details, cause);
    }

    private static TorrinException sizeMismatch(int index, long expected, long actual, Throwable cause) {
        return new TorrinException(ErrorCode.CHUNK_SIZE_MISMATCH, "chunk " + index + " must have " + expected
                + " bytes, not " + actual, Map.of("index", index, "expected", expected, "actual", actual), cause);
    }

    private static TorrinException storageError(String message, Exception cause) {
        return new TorrinException(ErrorCode.STORAGE_ERROR, message, Map.of("retryable", true), cause);
    }

    private void abortQuietly(UploadRecord record) {
        try {
            storage.abort(record.storageUpload());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not discard the storage of upload {} that failed to be saved", record.uploadId(), e);
        }
    }

    private void callHooks(Consumer<UploadHooks> call) {
        for (UploadHooks hook : hooks) {
            callHook(() -> {
                call.accept(hook);
                return null;
            });
        }
    }

    private static <T> T callHook(Supplier<T> call) {
        try {
            return call.get();
        } catch (TorrinException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("An upload hook failed", e);
            throw new TorrinException(ErrorCode.INTERNAL_ERROR, "an upload hook failed", Map.of(), e);
        }
    }

    private void publish(UploadEvent.Type type, UploadSession session, OptionalInt chunkIndex,
            Optional<StorageLocation> location) {
        if (listeners.isEmpty()) {
            return;
        }
        UploadEvent event = new UploadEvent(type, session, chunkIndex, location);
        try {
            eventExecutor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.warn("Dropped {} event of upload {}: the event executor refused it", type, session.uploadId());
        }
    }

    private void deliver(UploadEvent event) {
        for (UploadListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (Error) e;
                }
                LOG.warn("Upload listener {} failed on {} of upload {}", listener, event.type(),
                        event.session().uploadId(), e);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the upload service is closed");
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Builds an {@link UploadService}. Not thread-safe; the built service does not see later changes.
     *
     * <p>Defaults: chunk size 1 MiB within [256 KiB, 100 MiB]; at most 100,000 chunks per upload; no maximum
     * file size beyond what the chunk limits and the storage allow; 16 KiB of metadata; uploads expire 24 hours
     * after their last chunk; completed and canceled uploads are remembered for 24 hours; lock waits of 10
     * seconds; an expiry sweep every minute; the system UTC clock; events on one background thread.
     */
    public static final class Builder {
        private StorageDriver storage;
        private UploadStore store;
        private UploadLocks locks;
        private long defaultChunkSize = 1024 * 1024;
        private long minChunkSize = 256 * 1024;
        private long maxChunkSize = 100 * 1024 * 1024;
        private int maxChunks = 100_000;
        private long maxFileSize = Long.MAX_VALUE;
        private int maxMetadataBytes = 16 * 1024;
        private Duration uploadTtl = Duration.ofHours(24);
        private Duration finishedRetention = Duration.ofHours(24);
        private Duration lockTimeout = Duration.ofSeconds(10);
        private Duration sweepInterval = Duration.ofMinutes(1);
        private Clock clock = Clock.systemUTC();
        private final List<UploadHooks> hooks = new ArrayList<>();
        private final List<UploadListener> listeners = new ArrayList<>();
        private Executor eventExecutor;

        private Builder() {
        }

        /**
         * Sets where bytes go. Required.
         *
         * @param storage the driver, not null; not closed by the service
         * @return this builder
         */
        public Builder storage(StorageDriver storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Sets where session state goes. Required.
         *
         * @param store the store, not null; not closed by the service
         * @return this builder
         */
        public Builder store(UploadStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Overrides the locks; by default the store's own {@link UploadStore#locks()}.
         *
         * @param locks the locks, not null
         * @return this builder
         */
        public Builder locks(UploadLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /**
         * Sets the chunk size used when a client has no wish. Default 1 MiB.
         *
         * @param bytes the size, clamped into the chunk size range
         * @return this builder
         */
        public Builder defaultChunkSize(long bytes) {
            this.defaultChunkSize = positive(bytes, "defaultChunkSize");
            return this;
        }

        /**
         * Sets the chunk size range. Defaults 256 KiB and 100 MiB. The storage's constraints narrow it further.
         *
         * @param min the smallest chunk size for every chunk but the last, at least 1
         * @param max the largest chunk size, at least {@code min}
         * @return this builder
         */
        public Builder chunkSizeLimits(long min, long max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("invalid chunk size range [" + min + ", " + max + "]");
            }
            this.minChunkSize = min;
            this.maxChunkSize = max;
            return this;
        }

        /**
         * Sets the most chunks one upload may have; larger files get larger chunks. Default 100,000.
         *
         * @param maxChunks at least 1
         * @return this builder
         */
        public Builder maxChunks(int maxChunks) {
            this.maxChunks = (int) positive(maxChunks, "maxChunks");
            return this;
        }

        /**
         * Sets the largest file accepted. Default: no limit beyond the chunk limits and the storage's.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxFileSize(long bytes) {
            this.maxFileSize = positive(bytes, "maxFileSize");
            return this;
        }

        /**
         * Sets the most UTF-8 bytes of metadata keys and values together. Default 16 KiB.
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder maxMetadataBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxMetadataBytes must not be negative");
            }
            this.maxMetadataBytes = bytes;
            return this;
        }

        /**
         * Sets how long an unfinished upload lives after its creation or its latest chunk. Default 24 hours.
         *
         * @param ttl positive, not null
         * @return this builder
         */
        public Builder uploadTtl(Duration ttl) {
            this.uploadTtl = positive(ttl, "uploadTtl");
            return this;
        }

        /**
         * Sets how long completed and canceled uploads are remembered, so that late requests get
         * {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} instead of {@code UPLOAD_NOT_FOUND}.
         * Default 24 hours.
         *
         * @param retention positive, not null
         * @return this builder
         */
        public Builder finishedRetention(Duration retention) {
            this.finishedRetention = positive(retention, "finishedRetention");
            return this;
        }

        /**
         * Sets the longest wait for an upload's lock before {@code UPLOAD_LOCKED}. Default 10 seconds.
         *
         * @param timeout zero or positive, not null
         * @return this builder
         */
        public Builder lockTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("lockTimeout must not be negative");
            }
            this.lockTimeout = timeout;
            return this;
        }

        /**
         * Sets how often the expiry sweep runs in the background; {@link Duration#ZERO} turns it off (call
         * {@link UploadService#sweepExpired()} yourself then). Default one minute.
         *
         * @param interval zero or positive, not null
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("sweepInterval must not be negative");
            }
            this.sweepInterval = interval;
            return this;
        }

        /**
         * Sets the clock for creation times and expiry. Default the system UTC clock.
         *
         * @param clock the clock, not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds hooks; they run in the order added.
         *
         * @param hook the hooks, not null
         * @return this builder
         */
        public Builder hook(UploadHooks hook) {
            hooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Adds a listener; listeners get each event in the order added.
         *
         * @param listener the listener, not null
         * @return this builder
         */
        public Builder listener(UploadListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets the executor that delivers events; the service does not shut it down. Default: one background
         * thread owned by the service. {@code Runnable::run} delivers on the request's thread.
         *
         * @param executor the executor, not null
         * @return this builder
         */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the service and starts its background threads.
         *
         * @return the service
         * @throws NullPointerException if the storage or the store is missing
         * @throws IllegalArgumentException if the chunk limits do not fit the storage's constraints
         */
        public UploadService build() {
            return new UploadService(this);
        }

        private static long positive(long value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
