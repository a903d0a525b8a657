/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.AppendStatus;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.internal.AppendBody;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.PartialAppendException;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.UploadLock;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append uploads made of other append uploads, in order (tus concatenation): the parts' bytes are copied into the
 * new upload once every part is completed, by the request that finds them so, holding the new upload's lock. Needs
 * a driver that can read completed files. Thread-safe.
 */
final class Concatenation {

    private static final Logger LOG = LoggerFactory.getLogger(Concatenation.class);

    private final Engine engine;
    private final AppendOperations appends;
    private final ReadableStorage storage;

    Concatenation(Engine engine, AppendOperations appends, ReadableStorage storage) {
        this.engine = engine;
        this.appends = appends;
        this.storage = storage;
    }

    /** Tells whether an upload is a concatenation of others. */
    static boolean isConcatenated(UploadRecord record) {
        return record.attributes().containsKey(AppendUploads.PARTS_ATTRIBUTE);
    }

    AppendStatus concatenate(
            InitUploadRequest request, List<String> partIds, Map<String, String> attributes, RequestContext context) {
        engine.requireOpen();
        Objects.requireNonNull(partIds, "partIds");
        if (partIds.isEmpty()) {
            throw Errors.invalid("a concatenation needs at least one part");
        }
        if (request.fileSize().isPresent()) {
            throw Errors.invalid("a concatenated upload takes its size from its parts");
        }
        if (new HashSet<>(partIds).size() != partIds.size()) {
            throw Errors.invalid("a concatenation names a part more than once", Map.of("parts", partIds.size()));
        }
        long declared = 0;
        for (String partId : partIds) {
            UploadRecord part = engine.store.find(Validation.uploadId(partId)).orElse(null);
            if (part == null
                    || !(part.progress() instanceof UploadProgress.Offset)
                    || !part.session().expiresAt().isAfter(engine.now())
                    || part.session().state() == UploadState.CANCELED
                    || isConcatenated(part)) {
                throw Errors.invalid(
                        "part " + partId + " is not an unexpired upload that can be concatenated",
                        Map.of("part", partId));
            }
            declared = Math.addExact(declared, part.session().fileSize().orElse(0));
            if (declared > engine.sizing.maxFileSize()) {
                throw appends.tooLarge(OptionalLong.empty(), declared);
            }
        }
        Map<String, String> all = new LinkedHashMap<>(attributes);
        all.put(AppendUploads.PARTS_ATTRIBUTE, String.join(" ", partIds));
        AppendStatus created = appends.initUpload(request, all, context);
        try {
            return concatenateIfReady(created.uploadId(), context, engine.lockTimeout);
        } catch (TorrinException e) {
            if (e.code() != ErrorCode.STORAGE_ERROR && e.code() != ErrorCode.UPLOAD_LOCKED) {
                throw e;
            }
            LOG.warn("Concatenating upload {} failed; the next status request retries it", created.uploadId(), e);
            return created;
        }
    }

    /**
     * Reports a concatenated upload's status, copying its parts first if all are completed; if another request is
     * copying right now, reports the upload as it stands at once instead of waiting for the copy.
     */
    AppendStatus getStatus(UploadRecord record, RequestContext context) {
        if (!record.session().state().isActive()) {
            return AppendOperations.status(record);
        }
        try {
            return concatenateIfReady(record.uploadId(), context, Duration.ZERO);
        } catch (TorrinException e) {
            if (e.code() != ErrorCode.UPLOAD_LOCKED) {
                throw e;
            }
            return AppendOperations.status(engine.load(record.uploadId()));
        }
    }

    /**
     * Copies the parts of a concatenated upload once all are completed, holding its lock (waiting at most
     * {@code wait} for it); cancels it when a part can no longer complete.
     */
    private AppendStatus concatenateIfReady(String id, RequestContext context, Duration wait) {
        try (UploadLock lock = engine.lock(id, LockMode.EXCLUSIVE, wait)) {
            UploadRecord record = engine.load(id);
            if (!record.session().state().isActive()) {
                return AppendOperations.status(record);
            }
            List<UploadRecord> parts = new ArrayList<>();
            long total = 0;
            for (String partId :
                    record.attributes().get(AppendUploads.PARTS_ATTRIBUTE).split(" ")) {
                Optional<UploadRecord> part = engine.store.find(partId);
                if (part.isEmpty() || !canStillComplete(part.get().session())) {
                    LOG.info("Canceling concatenated upload {}: its part {} is gone", id, partId);
                    return AppendOperations.status(engine.discard(record, context));
                }
                if (part.get().session().state() != UploadState.COMPLETED) {
                    return AppendOperations.status(record);
                }
                parts.add(part.get());
                total = Math.addExact(total, part.get().session().knownFileSize());
            }
            if (total > appends.capacity(record.session())) {
                throw appends.tooLarge(OptionalLong.empty(), total);
            }
            UploadRecord current = record;
            if (current.session().fileSize().isEmpty()) {
                current = appends.advance(current, 0, OptionalLong.of(total), context);
            }
            long partStart = 0;
            for (UploadRecord part : parts) {
                long length = part.session().knownFileSize();
                long partEnd = partStart + length;
                long offset = AppendOperations.requireAppend(current);
                if (offset >= partEnd || length == 0) {
                    partStart = partEnd;
                    continue; // copied by an earlier attempt
                }
                if (offset != partStart) {
                    throw new TorrinException(
                            ErrorCode.INTERNAL_ERROR,
                            "concatenation of " + id + " stopped at " + offset + ", inside part " + part.uploadId(),
                            Map.of());
                }
                current = copy(current, offset, total, part, length, context);
                partStart = partEnd;
            }
            if (current.session().state().isActive() && AppendOperations.isFinished(current)) {
                return appends.complete(current, context);
            }
            return AppendOperations.status(current);
        }
    }

    private UploadRecord copy(
            UploadRecord current, long offset, long total, UploadRecord part, long length, RequestContext context) {
        try (InputStream in = storage.open(part.location().orElseThrow())) {
            AppendBody body = new AppendBody(in, length, List.of());
            long stored = appends.store(current, offset, OptionalLong.of(total), OptionalLong.of(length), body);
            if (stored != length || body.brokeOff()) {
                throw Errors.storage("could not copy part " + part.uploadId(), null);
            }
            return appends.advance(current, stored, OptionalLong.empty(), context);
        } catch (PartialAppendException e) {
            throw Errors.storage("could not copy part " + part.uploadId(), e);
        } catch (IOException e) {
            throw Errors.storage("could not read part " + part.uploadId(), e);
        }
    }

    /** Tells whether a part of a concatenation is completed or may still be. */
    private boolean canStillComplete(UploadSession part) {
        return part.state() == UploadState.COMPLETED
                || part.state().isActive() && part.expiresAt().isAfter(engine.now());
    }
}
