/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.jmh;

import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Recording progress in a store, one writer: {@link UploadStore#markChunkReceived} (the Torrin protocol, one call
 * per chunk) and {@link UploadStore#advanceOffset} (tus, one call per PATCH) on {@link InMemoryUploadStore} and on
 * {@link FileUploadStore} with {@code fsync(false)} (its log appends reach the page cache, not the disk).
 *
 * <p>Marks go to distinct chunks of an upload of {@value #CHUNKS_PER_UPLOAD} chunks (a 1 GiB file in 1 MiB
 * chunks); advances move an append upload of unknown size by 1 MiB each, {@value #ADVANCES_PER_UPLOAD} times. Then
 * the upload is deleted and a new one created, so the cost of creating and deleting a record is included, amortized
 * over that many calls.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class StoreMarkBenchmark {

    private static final int CHUNKS_PER_UPLOAD = 1024;
    private static final int ADVANCES_PER_UPLOAD = 16 * 1024;
    private static final long CHUNK_BYTES = 1024 * 1024;

    /** Which store: {@code memory} or {@code file} (fsync off). */
    @Param({"memory", "file"})
    public String store;

    private Path directory;
    private UploadStore uploads;
    private Instant expiresAt;
    private String chunkedId;
    private int nextChunk;
    private String appendId;
    private long offset;
    private int advances;

    /** Creates the benchmark state; JMH calls the setup. */
    public StoreMarkBenchmark() {}

    /**
     * Opens the store and creates one chunked and one append upload.
     *
     * @throws IOException if the store's directory cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("torrin-jmh-store");
        uploads = switch (store) {
            case "memory" -> InMemoryUploadStore.create();
            case "file" ->
                FileUploadStore.builder(directory.resolve("sessions"))
                        .fsync(false)
                        .build();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        expiresAt = Instant.now().plusSeconds(24 * 3600);
        newChunkedUpload();
        newAppendUpload();
    }

    /**
     * Marks the next chunk of the chunked upload as received.
     *
     * @return whether the store recorded it (always, the chunk is new)
     */
    @Benchmark
    public boolean markChunkReceived() {
        if (nextChunk == CHUNKS_PER_UPLOAD) {
            uploads.delete(chunkedId);
            newChunkedUpload();
        }
        return uploads.markChunkReceived(chunkedId, nextChunk++, expiresAt);
    }

    /**
     * Advances the append upload's offset by 1 MiB.
     *
     * @return whether the store advanced it (always, the expected offset is right)
     */
    @Benchmark
    public boolean advanceOffset() {
        if (advances == ADVANCES_PER_UPLOAD) {
            uploads.delete(appendId);
            newAppendUpload();
        }
        boolean advanced =
                uploads.advanceOffset(appendId, offset, offset + CHUNK_BYTES, OptionalLong.empty(), expiresAt);
        offset += CHUNK_BYTES;
        advances++;
        return advanced;
    }

    /**
     * Closes the store and deletes its directory.
     *
     * @throws IOException if deleting fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        uploads.close();
        JmhFiles.deleteRecursively(directory);
    }

    private void newChunkedUpload() {
        Instant now = Instant.now();
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.empty(),
                OptionalLong.of(CHUNKS_PER_UPLOAD * CHUNK_BYTES),
                "application/octet-stream",
                Map.of(),
                CHUNK_BYTES,
                CHUNKS_PER_UPLOAD,
                UploadState.PENDING,
                now,
                expiresAt);
        uploads.create(UploadRecord.created(session, Map.of()));
        chunkedId = session.uploadId();
        nextChunk = 0;
    }

    private void newAppendUpload() {
        Instant now = Instant.now();
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.empty(),
                OptionalLong.empty(),
                "application/octet-stream",
                Map.of(),
                CHUNK_BYTES,
                0,
                UploadState.PENDING,
                now,
                expiresAt);
        uploads.create(UploadRecord.createdForAppend(session, Map.of(), Map.of()));
        appendId = session.uploadId();
        offset = 0;
        advances = 0;
    }
}
