/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.core.UploadStatus;
import io.torrin.server.internal.ChunkBody;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The chunked model (the Torrin protocol): chunks stored in any order and in parallel, status as a chunk set,
 * complete with an optional whole-file SHA-256, abort. Thread-safe; the locking rules are those of
 * {@link UploadService}.
 */
final class ChunkedOperations {

    /** How far past a chunk's expected end the body is read to notice an overlong chunk. */
    private static final long MAX_EXTRA_BYTES_READ = 1024 * 1024;

    private final Engine engine;
    private final RunningWrites running;

    ChunkedOperations(Engine engine, RunningWrites running) {
        this.engine = engine;
        this.running = running;
    }

    ChunkResult handleChunk(ChunkRequest request, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        String uploadId = Validation.uploadId(request.uploadId());
        Optional<String> sha256 = Validation.sha256(request.sha256(), "chunk");
        int index = request.index();
        String chunkKey = uploadId + "#" + index;
        try (UploadLock uploadLock = engine.lock(uploadId, LockMode.SHARED);
                UploadLock chunkLock =
                        running.acquireEvicting(chunkKey, uploadId, running.chunkStalledAfter(), context)) {
            UploadRecord record = engine.load(uploadId);
            UploadSession session = record.session();
            UploadStores.requireActive(session);
            UploadProgress.Chunks chunks = requireChunked(record);
            if (index < 0 || index >= session.totalChunks()) {
                throw new TorrinException(
                        ErrorCode.CHUNK_OUT_OF_RANGE,
                        "chunk index " + index + " is outside [0, " + session.totalChunks() + ")",
                        Map.of("index", index, "totalChunks", session.totalChunks()));
            }
            long expected = session.expectedChunkSize(index);
            if (request.size().isPresent() && request.size().getAsLong() != expected) {
                throw Errors.sizeMismatch(index, expected, request.size().getAsLong(), null);
            }
            engine.hooks.run(hook -> hook.beforeChunk(session, index, context));
            ChunkBody body = new ChunkBody(request.data(), expected, sha256.isPresent());
            running.started(chunkKey, body.source());
            if (engine.events.wantsProgress()) {
                body.source()
                        .onProgress(bytes -> engine.events.progress(session, OptionalInt.of(index), bytes, context));
            }
            try {
                return store(record, chunks, index, expected, sha256, body, context);
            } catch (TorrinException e) {
                if (body.source().isEvicted() && engine.isDraining()) {
                    throw new TorrinException(
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "the server is shutting down; chunk " + index + " was not stored, send it again",
                            Map.of("retryAfterSeconds", 5, "index", index, "interrupted", true),
                            e);
                }
                throw e;
            } finally {
                running.finished(chunkKey, body.source());
            }
        }
    }

    private ChunkResult store(
            UploadRecord record,
            UploadProgress.Chunks chunks,
            int index,
            long expected,
            Optional<String> sha256,
            ChunkBody body,
            RequestContext context) {
        String uploadId = record.uploadId();
        UploadSession session = record.session();
        if (chunks.received().contains(index)) {
            try {
                body.drain();
            } catch (IOException e) {
                throw Errors.bodyBrokeOff(index, expected, body.count(), e);
            }
            verify(index, expected, sha256, body);
            return new ChunkResult(uploadId, index, session.state(), true);
        }
        try {
            engine.storage.writeChunk(
                    new ChunkWrite(record.storageUpload(), index, session.offsetOf(index), expected, sha256, body));
        } catch (IOException | RuntimeException e) {
            throw writeFailure(index, expected, body, e);
        }
        verify(index, expected, sha256, body);
        Instant expiresAt = engine.activityExpiry(session);
        engine.store.markChunkReceived(uploadId, index, expiresAt);
        engine.received(expected, context);
        engine.events.publish(
                UploadEvent.Type.CHUNK_RECEIVED,
                UploadStores.afterMark(session, expiresAt),
                OptionalInt.of(index),
                Optional.empty(),
                context);
        return new ChunkResult(uploadId, index, UploadState.IN_PROGRESS, false);
    }

    UploadStatus getStatus(String uploadId, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(context, "context");
        UploadRecord record = engine.load(Validation.uploadId(uploadId));
        engine.hooks.run(hook -> hook.beforeStatus(record.session(), context));
        return new UploadStatus(record.session(), record.receivedChunks());
    }

    CompleteResult completeUpload(String uploadId, Optional<String> sha256, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        Optional<String> expectedHash = Validation.sha256(Objects.requireNonNull(sha256, "sha256"), "file");
        try (UploadLock lock = engine.lock(id, LockMode.EXCLUSIVE)) {
            UploadRecord record = engine.load(id);
            UploadSession session = record.session();
            UploadStores.requireActive(session);
            if (record.progress() instanceof UploadProgress.Offset offset && !AppendOperations.isFinished(record)) {
                throw new TorrinException(
                        ErrorCode.MISSING_CHUNKS,
                        "the upload has " + offset.bytes() + " of "
                                + (session.fileSize().isPresent()
                                        ? session.fileSize().getAsLong()
                                        : "an undeclared number of")
                                + " bytes",
                        Map.of("offset", offset.bytes()));
            }
            if (!record.receivedChunks().isComplete()) {
                List<Integer> missing = record.receivedChunks().missing();
                throw new TorrinException(
                        ErrorCode.MISSING_CHUNKS,
                        missing.size() + " of " + session.totalChunks() + " chunks are missing",
                        Map.of("missingChunks", missing));
            }
            engine.hooks.run(hook -> hook.beforeComplete(session, context));
            if (expectedHash.isPresent()) {
                verifyFileHash(record, expectedHash.get());
            }
            return engine.finish(record, expectedHash, context);
        }
    }

    void abortUpload(String uploadId, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(context, "context");
        String id = Validation.uploadId(uploadId);
        running.interruptChunks(id, context);
        try (UploadLock lock = engine.lock(id, LockMode.EXCLUSIVE)) {
            engine.abort(engine.load(id), context);
        }
    }

    private static UploadProgress.Chunks requireChunked(UploadRecord record) {
        if (record.progress() instanceof UploadProgress.Chunks chunks) {
            return chunks;
        }
        throw Errors.invalid(
                "upload " + record.uploadId() + " takes appends at offsets, not chunks",
                Map.of("uploadId", record.uploadId()));
    }

    private static void verify(int index, long expected, Optional<String> sha256, ChunkBody body) {
        if (body.count() < expected) {
            throw Errors.sizeMismatch(index, expected, body.count(), null);
        }
        long extra;
        try {
            extra = body.probeExtra(MAX_EXTRA_BYTES_READ);
        } catch (IOException e) {
            throw Errors.bodyBrokeOff(index, expected, body.count(), e);
        }
        if (extra > 0) {
            throw Errors.sizeMismatch(index, expected, expected + extra, null);
        }
        if (sha256.isPresent()) {
            String actual = body.sha256Hex();
            if (!actual.equals(sha256.get())) {
                throw new TorrinException(
                        ErrorCode.CHUNK_HASH_MISMATCH,
                        "chunk " + index + " does not match its SHA-256",
                        Map.of("index", index, "expected", sha256.get(), "actual", actual));
            }
        }
    }

    private void verifyFileHash(UploadRecord record, String expected) {
        if (!(engine.storage instanceof StagedReadableStorage staged)) {
            throw Errors.invalid("this storage cannot verify a whole-file hash before completion");
        }
        MessageDigest digest = ChunkBody.sha256();
        try (InputStream in = staged.openStaged(record.storageUpload())) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw Errors.storage("could not read the upload to verify its hash", e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new TorrinException(
                    ErrorCode.FILE_HASH_MISMATCH,
                    "the file does not match its SHA-256",
                    Map.of("expected", expected, "actual", actual));
        }
    }

    private static TorrinException writeFailure(int index, long expected, ChunkBody body, Exception e) {
        if (e instanceof TorrinException torrin) {
            return torrin;
        }
        if (body.sourceFailure() != null) {
            return Errors.bodyBrokeOff(index, expected, body.count(), body.sourceFailure());
        }
        if (body.endedEarly()) {
            return Errors.sizeMismatch(index, expected, body.count(), e);
        }
        return Errors.storage("could not store chunk " + index, e);
    }
}
