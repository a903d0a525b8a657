/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.memory;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.AbstractUploadStore;
import io.torrin.server.spi.support.LocalUploadLocks;
import io.torrin.server.spi.support.UploadStores;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * An {@link UploadStore} in process memory: the reference implementation, for tests and single-process
 * development. Everything is lost when the process ends; use {@link io.torrin.server.file.FileUploadStore} for durability.
 *
 * <p>Thread-safe; every operation is atomic per upload.
 */
public final class InMemoryUploadStore extends AbstractUploadStore implements HealthCheck {

    private final ConcurrentMap<String, UploadRecord> records = new ConcurrentHashMap<>();
    private final UploadLocks locks = LocalUploadLocks.create();

    private InMemoryUploadStore() {}

    /**
     * Creates an empty store.
     *
     * @return a new store
     */
    public static InMemoryUploadStore create() {
        return new InMemoryUploadStore();
    }

    @Override
    protected void doCreate(UploadRecord record) {
        if (records.putIfAbsent(record.uploadId(), record) != null) {
            throw new IllegalStateException("upload exists: " + record.uploadId());
        }
    }

    @Override
    protected Optional<UploadRecord> doFind(String uploadId) {
        return Optional.ofNullable(records.get(uploadId));
    }

    @Override
    protected boolean doMarkChunkReceived(String uploadId, int index, Instant expiresAt) {
        return update(uploadId, record -> UploadStores.mark(record, index, expiresAt));
    }

    @Override
    protected boolean doAdvanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        return update(uploadId, record -> UploadStores.advance(record, expectedOffset, newOffset, fileSize, expiresAt));
    }

    @Override
    protected boolean doTransition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location) {
        boolean[] changed = new boolean[1];
        records.computeIfPresent(uploadId, (id, record) -> {
            if (record.session().state() != expected) {
                return record;
            }
            changed[0] = true;
            return record.withTransition(record.session().withState(next, expiresAt), location);
        });
        return changed[0];
    }

    @Override
    protected boolean doDelete(String uploadId) {
        return records.remove(uploadId) != null;
    }

    @Override
    protected List<UploadRecord> doFindExpired(Instant now, int limit) {
        return records.values().stream()
                .filter(record -> !record.session().expiresAt().isAfter(now))
                .sorted(Comparator.comparing(record -> record.session().expiresAt()))
                .limit(limit)
                .toList();
    }

    @Override
    public UploadLocks locks() {
        return locks;
    }

    /** Applies a change atomically; {@code UPLOAD_NOT_FOUND} for an unknown id. */
    private boolean update(String uploadId, Function<UploadRecord, Optional<UploadRecord>> change) {
        boolean[] changed = new boolean[1];
        records.compute(uploadId, (id, record) -> {
            if (record == null) {
                throw UploadStores.notFound(uploadId);
            }
            Optional<UploadRecord> next = change.apply(record);
            changed[0] = next.isPresent();
            return next.orElse(record);
        });
        return changed[0];
    }

    /** {@return {@code memory}} */
    @Override
    public String kind() {
        return "memory";
    }

    /** {@return always up: memory needs no check} */
    @Override
    public Health checkHealth() {
        return Health.up(Map.of());
    }
}
