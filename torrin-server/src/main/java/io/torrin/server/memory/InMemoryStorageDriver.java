/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.memory;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link io.torrin.server.spi.StorageDriver} that keeps bytes on the heap: the reference implementation for tests and demos. It
 * breaks the streaming rule on purpose (every byte lives in memory), so never use it for real files.
 *
 * <p>Completed files are reported as {@code StorageLocation("memory", {"key": uploadId})} and read back with
 * {@link #read(StorageLocation)}. Thread-safe.
 */
public final class InMemoryStorageDriver
        implements AppendableStorage, ReadableStorage, StagedReadableStorage, HealthCheck {

    private final StorageConstraints constraints;
    private final ConcurrentMap<String, NavigableMap<Integer, byte[]>> staged = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, byte[]> completed = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Instant> completedAt = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Appended> appended = new ConcurrentHashMap<>();

    private InMemoryStorageDriver(StorageConstraints constraints) {
        this.constraints = constraints;
    }

    /**
     * Creates a driver without constraints.
     *
     * @return a new driver
     */
    public static InMemoryStorageDriver create() {
        return new InMemoryStorageDriver(StorageConstraints.none());
    }

    /**
     * Creates a driver that declares the given constraints, to test chunk negotiation against, for example,
     * S3-like limits.
     *
     * @param constraints the constraints to declare, not null
     * @return a new driver
     */
    public static InMemoryStorageDriver withConstraints(StorageConstraints constraints) {
        return new InMemoryStorageDriver(Objects.requireNonNull(constraints, "constraints"));
    }

    @Override
    public StorageConstraints constraints() {
        return constraints;
    }

    @Override
    public Map<String, String> begin(UploadSession session) {
        staged.putIfAbsent(session.uploadId(), new ConcurrentSkipListMap<>());
        return Map.of();
    }

    @Override
    public void writeChunk(ChunkWrite write) throws IOException {
        NavigableMap<Integer, byte[]> chunks = staged.get(write.upload().uploadId());
        if (chunks == null) {
            throw new IOException("unknown or finished upload " + write.upload().uploadId());
        }
        byte[] bytes = write.data().readAllBytes();
        chunks.put(write.index(), bytes);
    }

    /**
     * Appends to a growing array; bytes past the offset (from an unrecorded earlier append) are replaced.
     */
    @Override
    public long append(AppendWrite write) throws IOException {
        String id = write.upload().uploadId();
        if (!staged.containsKey(id)) {
            throw new IOException("unknown or finished upload " + id);
        }
        Appended bytes = appended.computeIfAbsent(id, k -> new Appended());
        synchronized (bytes) {
            if (bytes.length < write.offset()) {
                throw new IOException(
                        "upload " + id + " has " + bytes.length + " bytes, cannot append at " + write.offset());
            }
            bytes.length = Math.toIntExact(write.offset());
            byte[] buffer = new byte[8192];
            long count = 0;
            int n;
            while ((n = write.data().read(buffer)) >= 0) {
                bytes.add(buffer, n);
                count += n;
            }
            return count;
        }
    }

    @Override
    public InputStream open(StorageLocation location) throws IOException {
        if (!"memory".equals(location.type())) {
            throw new IOException("not a location of this driver: " + location);
        }
        return new ByteArrayInputStream(
                read(location).orElseThrow(() -> new NoSuchFileException("no such file " + location)));
    }

    @Override
    public StoredFile stat(StorageLocation location) throws IOException {
        String key = location.attribute("key").orElse("");
        byte[] file = completed.get(key);
        Instant at = completedAt.get(key);
        if (!"memory".equals(location.type()) || file == null || at == null) {
            throw new NoSuchFileException("no such file " + location);
        }
        return new StoredFile(file.length, at, at.toEpochMilli() + "-" + at.getNano() + "-" + file.length);
    }

    @Override
    public InputStream openStaged(StorageUpload upload) throws IOException {
        Appended bytes = appended.get(upload.uploadId());
        if (bytes != null) {
            synchronized (bytes) {
                return new ByteArrayInputStream(Arrays.copyOf(bytes.data, bytes.length));
            }
        }
        NavigableMap<Integer, byte[]> chunks = staged.get(upload.uploadId());
        if (chunks == null) {
            throw new IOException("unknown or finished upload " + upload.uploadId());
        }
        List<InputStream> parts = chunks.values().stream()
                .map(b -> (InputStream) new ByteArrayInputStream(b))
                .toList();
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public StorageLocation complete(StorageUpload upload) throws IOException {
        String id = upload.uploadId();
        StorageLocation location = new StorageLocation("memory", Map.of("key", id));
        NavigableMap<Integer, byte[]> chunks = staged.get(id);
        if (chunks == null) {
            if (completed.containsKey(id)) {
                return location;
            }
            throw new IOException("unknown upload " + id);
        }
        byte[] file = new byte[Math.toIntExact(upload.session().knownFileSize())];
        int position = 0;
        Appended bytes = appended.get(id);
        if (bytes != null) {
            synchronized (bytes) {
                position = Math.min(bytes.length, file.length);
                System.arraycopy(bytes.data, 0, file, 0, position);
            }
        }
        for (byte[] chunk : chunks.values()) {
            System.arraycopy(chunk, 0, file, position, chunk.length);
            position += chunk.length;
        }
        if (position != file.length) {
            throw new IOException("upload " + id + " has " + position + " of " + file.length + " bytes");
        }
        completedAt.put(id, Instant.now());
        completed.put(id, file);
        staged.remove(id);
        appended.remove(id);
        return location;
    }

    @Override
    public void abort(StorageUpload upload) {
        staged.remove(upload.uploadId());
        appended.remove(upload.uploadId());
    }

    /**
     * Reads a completed file.
     *
     * @param location a location this driver returned, not null
     * @return a copy of the bytes, or empty if there is no such file
     */
    public Optional<byte[]> read(StorageLocation location) {
        return location.attribute("key").map(completed::get).map(byte[]::clone);
    }

    /**
     * Tells whether the driver holds staged data for an upload (for tests of abort and expiry).
     *
     * @param uploadId the id, not null
     * @return whether staged chunks exist
     */
    public boolean isStaged(String uploadId) {
        return staged.containsKey(uploadId);
    }

    /** The bytes of an append upload; guarded by its own monitor. */
    private static final class Appended {
        byte[] data = new byte[0];
        int length;

        void add(byte[] buffer, int n) {
            if (length + n > data.length) {
                data = Arrays.copyOf(data, Math.max(length + n, data.length * 2));
            }
            System.arraycopy(buffer, 0, data, length, n);
            length += n;
        }
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
