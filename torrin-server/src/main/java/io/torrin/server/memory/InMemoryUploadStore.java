package io.torrin.server.memory;

import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.LocalUploadLocks;
import io.torrin.server.spi.support.UploadStores;
import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link UploadStore} in process memory: the reference implementation, for tests and single-process
 * development. Everything is lost when the process ends; use {@link FileUploadStore} for durability.
 *
 * <p>Thread-safe; every operation is atomic per upload.
 */
public final class InMemoryUploadStore implements UploadStore {

    private final ConcurrentMap<String, UploadRecord> records = new ConcurrentHashMap<>();
    private final UploadLocks locks = LocalUploadLocks.create();

    private InMemoryUploadStore() {
    }

    /**
     * Creates an empty store.
     *
     * @return a new store
     */
    public static InMemoryUploadStore create() {
        return new InMemoryUploadStore();
    }

    @Override
    public void create(UploadRecord record) {
        Objects.requireNonNull(record, "record");
        if (records.putIfAbsent(record.uploadId(), record) != null) {
            throw new IllegalStateException("upload exists: " + record.uploadId());
        }
    }

    @Override
    public Optional<UploadRecord> find(String uploadId) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(uploadId, "uploadId")));
    }

    @Override
    public boolean markChunkReceived(String uploadId, int index, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        boolean[] marked = new boolean[1];
        records.compute(uploadId, (id, record) -> {
            if (record == null) {
                throw UploadStores.notFound(uploadId);
            }
            UploadStores.requireActive(record.session());
            ChunkSet chunks = record.chunks().with(index);
            if (chunks == record.chunks()) {
                return record;
            }
            marked[0] = true;
            return record.withProgress(UploadStores.afterMark(record.session(), expiresAt), chunks);
        });
        return marked[0];
    }

    @Override
    public boolean advanceOffset(String uploadId, long expectedOffset, long newOffset, long fileSize,
            Instant expiresAt) {
        boolean[] advanced = new boolean[1];
        records.compute(Objects.requireNonNull(uploadId, "uploadId"), (id, record) -> {
            if (record == null) {
                throw UploadStores.notFound(uploadId);
            }
            Optional<UploadRecord> next = UploadStores.advance(record, expectedOffset, newOffset, fileSize,
                    expiresAt);
            advanced[0] = next.isPresent();
            return next.orElse(record);
        });
        return advanced[0];
    }

    @Override
    public boolean transition(String uploadId, UploadState expected, UploadState next, Instant expiresAt,
            Optional<StorageLocation> location) {
        UploadStores.checkTransition(expected, next, expiresAt, location);
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
    public boolean delete(String uploadId) {
        return records.remove(Objects.requireNonNull(uploadId, "uploadId")) != null;
    }

    @Override
    public List<UploadRecord> findExpired(Instant now, int limit) {
        UploadStores.checkFindExpired(now, limit);
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
}
