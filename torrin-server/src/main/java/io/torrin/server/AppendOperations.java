/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.BodyChecksum;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.internal.AppendBody;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.PartialAppendException;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The append model (tus and other offset-based protocols): create, append at the current offset, status,
 * terminate, and the completion that follows the last byte. Thread-safe; an append holds its upload exclusively.
 */
final class AppendOperations {

    private final Engine engine;
    private final AppendableStorage storage;
    private final RunningWrites running;

    AppendOperations(Engine engine, AppendableStorage storage, RunningWrites running) {
        this.engine = engine;
        this.storage = storage;
        this.running = running;
    }

    AppendStatus initUpload(InitUploadRequest request, Map<String, String> attributes, RequestContext context) {
        UploadRecord record = engine.create(request, context, true, attributes);
        UploadSession session = record.session();
        if (session.fileSize().orElse(-1) == 0) {
            try (UploadLock lock = engine.lock(session.uploadId(), LockMode.EXCLUSIVE)) {
                return complete(engine.load(session.uploadId()), context);
            }
        }
        return status(record);
    }

    AppendStatus append(AppendRequest request, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(request.uploadId());
        try (UploadLock lock = running.acquireEvicting(id, id, Duration.ZERO, context)) {
            UploadRecord record = engine.load(id);
            long offset = requireAppend(record);
            UploadSession session = record.session();
            if (record.attributes().containsKey(AppendUploads.PARTS_ATTRIBUTE)) {
                throw new TorrinException(
                        ErrorCode.FORBIDDEN, "a concatenated upload takes no appends", Map.of("uploadId", id));
            }
            if (session.state() == UploadState.COMPLETED && request.offset() == offset) {
                if (request.length().orElse(-1) == 0 || (request.length().isEmpty() && isEmpty(request.data()))) {
                    return status(record);
                }
                long size = session.knownFileSize();
                throw tooLarge(
                        OptionalLong.of(size),
                        size + Math.max(1, request.length().orElse(1)));
            }
            if (session.state() != UploadState.CANCELED && request.offset() != offset) {
                throw new TorrinException(
                        ErrorCode.OFFSET_MISMATCH,
                        "the upload is at offset " + offset + ", not " + request.offset(),
                        Map.of("offset", offset));
            }
            UploadStores.requireActive(session);
            OptionalLong declared = request.declaredFileSize().equals(session.fileSize())
                    ? OptionalLong.empty()
                    : request.declaredFileSize();
            OptionalLong fileSize = declaredSize(record, offset, declared);
            if (declared.isPresent()
                    && request.length().isPresent()
                    && request.length().getAsLong() > declared.getAsLong() - offset) {
                throw Errors.invalid(
                        "the declared size " + declared.getAsLong() + " is below the offset after this append",
                        Map.of("offset", offset));
            }
            long capacity = fileSize.isPresent() ? fileSize.getAsLong() : capacity(session);
            if (request.length().isPresent() && request.length().getAsLong() > capacity - offset) {
                throw tooLarge(fileSize, offset + request.length().getAsLong());
            }
            engine.hooks.run(hook -> hook.beforeAppend(session, offset, context));
            List<String> algorithms =
                    request.checksum().map(BodyChecksum::algorithms).orElse(List.of());
            AppendBody body;
            try {
                body = new AppendBody(request.data(), capacity - offset, algorithms);
            } catch (IllegalArgumentException e) {
                throw Errors.invalid("unsupported checksum algorithm in " + algorithms);
            }
            running.started(id, body.source());
            if (engine.events.wantsProgress()) {
                body.source()
                        .onProgress(
                                bytes -> engine.events.progress(session, OptionalInt.empty(), offset + bytes, context));
            }
            try {
                long stored;
                try {
                    stored = declared.isEmpty() && fileSize.equals(OptionalLong.of(offset))
                            ? 0
                            : store(record, offset, fileSize, request.length(), body);
                } catch (PartialAppendException e) {
                    if (e.stored() > 0 && request.checksum().isEmpty()) {
                        record(record, e.stored(), declared, context);
                    }
                    throw Errors.storage(
                            "the storage failed after " + e.stored() + " of the bytes were stored", e.getCause());
                }
                if (body.probeEnd() && !body.overLimit()) {
                    throw Errors.storage("the storage stopped reading before the body ended", null);
                }
                if (body.overLimit()) {
                    throw tooLarge(fileSize, offset + body.count() + 1);
                }
                if (request.checksum().isPresent()) {
                    verifyChecksum(request.checksum().get(), body, stored);
                }
                return record(record, stored, declared, context);
            } finally {
                running.finished(id, body.source());
            }
        }
    }

    /**
     * Reports an upload's status, completing it first if its bytes are all stored but completing failed earlier;
     * concatenated uploads are left to {@link Concatenation}.
     */
    AppendStatus getStatus(UploadRecord record, RequestContext context) {
        if (record.session().state().isActive() && isFinished(record)) {
            try (UploadLock lock = engine.lock(record.uploadId(), LockMode.EXCLUSIVE)) {
                UploadRecord current = engine.load(record.uploadId());
                if (!current.session().state().isActive() || !isFinished(current)) {
                    return status(current);
                }
                return complete(current, context);
            }
        }
        return status(record);
    }

    boolean terminateUpload(String uploadId, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        try (UploadLock lock = running.acquireEvicting(id, id, Duration.ZERO, context)) {
            UploadRecord record = engine.load(id);
            requireAppend(record);
            UploadSession session = record.session();
            if (session.state() == UploadState.CANCELED) {
                engine.hooks.run(hook -> hook.beforeAbort(session, context));
                return false;
            }
            if (session.state() != UploadState.COMPLETED) {
                engine.abort(record, context);
                return true;
            }
            engine.hooks.run(hook -> hook.beforeAbort(session, context));
            Instant expiresAt = engine.now().plus(engine.finishedRetention);
            if (!engine.store.transition(
                    id, UploadState.COMPLETED, UploadState.CANCELED, expiresAt, Optional.empty())) {
                return false;
            }
            engine.events.publish(
                    UploadEvent.Type.ABORTED,
                    session.withState(UploadState.CANCELED, expiresAt),
                    OptionalInt.empty(),
                    record.location(),
                    context);
            return true;
        }
    }

    /** Completes an append upload whose bytes are all stored; the caller holds its lock. */
    AppendStatus complete(UploadRecord record, RequestContext context) {
        engine.hooks.run(hook -> hook.beforeComplete(record.session(), context));
        CompleteResult result = engine.finish(record, Optional.empty(), context);
        UploadRecord completed = record.withTransition(result.session(), Optional.of(result.location()));
        return new AppendStatus(
                completed.session(),
                requireAppend(completed),
                completed.attributes(),
                completed.location(),
                result.responseFields());
    }

    /** Stores bytes at the record's offset; every failure but a partial one becomes a {@link TorrinException}. */
    long store(UploadRecord record, long offset, OptionalLong fileSize, OptionalLong length, AppendBody body)
            throws PartialAppendException {
        try {
            return storage.append(new AppendWrite(record.storageUpload(), offset, fileSize, length, body));
        } catch (TorrinException | PartialAppendException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw Errors.storage("could not store the appended bytes", e);
        }
    }

    /** Records an append's bytes (and a declared size) without completing the upload; returns the new record. */
    UploadRecord advance(UploadRecord record, long stored, OptionalLong declared, RequestContext context) {
        Instant expiresAt = engine.activityExpiry(record.session());
        long offset = requireAppend(record);
        if (!engine.store.advanceOffset(record.uploadId(), offset, offset + stored, declared, expiresAt)) {
            throw new TorrinException(ErrorCode.OFFSET_MISMATCH, "the upload moved on meanwhile", Map.of());
        }
        UploadRecord advanced = UploadStores.advance(record, offset, offset + stored, declared, expiresAt)
                .orElseThrow();
        for (int index = record.appendedChunks(); index < advanced.appendedChunks(); index++) {
            engine.events.publish(
                    UploadEvent.Type.CHUNK_RECEIVED,
                    advanced.session(),
                    OptionalInt.of(index),
                    Optional.empty(),
                    context);
        }
        return advanced;
    }

    /** The most bytes an upload without a declared size may grow to. */
    long capacity(UploadSession session) {
        int maxChunks = engine.sizing.maxChunks();
        long byChunks =
                session.chunkSize() > Long.MAX_VALUE / maxChunks ? Long.MAX_VALUE : session.chunkSize() * maxChunks;
        return Math.min(engine.sizing.maxFileSize(), byChunks);
    }

    /** The error for bytes past a known size, or a size past the maximum. */
    TorrinException tooLarge(OptionalLong fileSize, long wanted) {
        if (fileSize.isPresent()) {
            return new TorrinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the bytes go past the upload's size " + fileSize.getAsLong(),
                    Map.of("fileSize", fileSize.getAsLong()));
        }
        return new TorrinException(
                ErrorCode.FILE_TOO_LARGE,
                "the upload would grow past the maximum size",
                Map.of("maxFileSize", engine.sizing.maxFileSize(), "fileSize", wanted));
    }

    static boolean isFinished(UploadRecord record) {
        return record.session().fileSize().isPresent()
                && record.offset()
                        .equals(OptionalLong.of(record.session().fileSize().getAsLong()));
    }

    static AppendStatus status(UploadRecord record) {
        return new AppendStatus(record.session(), requireAppend(record), record.attributes(), record.location());
    }

    /** Returns the offset of an append upload; {@code INVALID_REQUEST} for a chunked one. */
    static long requireAppend(UploadRecord record) {
        if (record.progress() instanceof UploadProgress.Offset offset) {
            return offset.bytes();
        }
        throw Errors.invalid(
                "upload " + record.uploadId() + " was created with the chunk protocol",
                Map.of("uploadId", record.uploadId()));
    }

    private AppendStatus record(UploadRecord record, long stored, OptionalLong declared, RequestContext context) {
        UploadRecord advanced = stored == 0 && declared.isEmpty() ? record : advance(record, stored, declared, context);
        engine.received(stored, context);
        return isFinished(advanced) ? complete(advanced, context) : status(advanced);
    }

    private OptionalLong declaredSize(UploadRecord record, long offset, OptionalLong declared) {
        UploadSession session = record.session();
        if (declared.isEmpty()) {
            return session.fileSize();
        }
        long size = declared.getAsLong();
        if (session.fileSize().isPresent()) {
            if (size != session.fileSize().getAsLong()) {
                throw Errors.invalid(
                        "the upload's size is already " + session.fileSize().getAsLong(),
                        Map.of("fileSize", session.fileSize().getAsLong()));
            }
            return declared;
        }
        if (size < offset) {
            throw Errors.invalid(
                    "the declared size " + size + " is below the offset " + offset, Map.of("offset", offset));
        }
        if (size > capacity(session)) {
            throw tooLarge(OptionalLong.empty(), size);
        }
        return declared;
    }

    private static void verifyChecksum(BodyChecksum checksum, AppendBody body, long stored) {
        if (body.brokeOff()) {
            throw Errors.invalid("the body broke off, so its checksum cannot be verified");
        }
        Optional<BodyChecksum.Expected> expected = checksum.expected().get();
        if (expected.isEmpty()) {
            throw Errors.invalid("the announced checksum did not arrive");
        }
        String algorithm = expected.get().algorithm();
        byte[] actual = body.digest(algorithm)
                .orElseThrow(() -> Errors.invalid("the checksum algorithm " + algorithm + " was not announced"));
        if (!MessageDigest.isEqual(actual, expected.get().digest())) {
            throw new TorrinException(
                    ErrorCode.CHUNK_HASH_MISMATCH,
                    "the body does not match its " + algorithm + " checksum",
                    Map.of("algorithm", algorithm));
        }
        if (stored != body.count()) {
            throw Errors.storage("the storage kept " + stored + " of " + body.count() + " verified bytes", null);
        }
    }

    private static boolean isEmpty(InputStream data) {
        try {
            return data.read() < 0;
        } catch (IOException e) {
            throw Errors.invalid("the request body could not be read");
        }
    }
}
