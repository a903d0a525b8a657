/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.jmh;

import io.torrin.benchmarks.jmh.ChunkWriteBenchmark.ResettableStream;
import io.torrin.core.ChunkRequest;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadSession;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Checksums while streaming, through the public API: an idempotent re-send of a stored 1 MiB chunk to
 * {@link UploadService#handleChunk}, which reads the whole body through the engine's streaming view, counts it and,
 * with a SHA-256, verifies it, and stores nothing (a received chunk is never rewritten). With SHA-256 off and on,
 * next to the same reads straight from the source stream (the baseline for "off") and
 * {@link MessageDigest#update(byte[])} over the whole array at once (the baseline for "on": the cost of SHA-256
 * itself). Each call also looks the upload up in the in-memory store and takes its locks, as a request does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ChecksumBenchmark {

    /** The chunk size. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    private byte[] chunk;
    private byte[] buffer;
    private String sha256;
    private ResettableStream source;
    private UploadService service;
    private String uploadId;

    /** Creates the benchmark state; JMH calls the setup. */
    public ChecksumBenchmark() {}

    /** Fills the chunk with random bytes and stores it once, so that every measured call is a re-send. */
    @Setup(Level.Trial)
    public void setUp() {
        chunk = new byte[CHUNK_BYTES];
        new SplittableRandom(11).nextBytes(chunk);
        buffer = new byte[BUFFER_BYTES];
        source = new ResettableStream(chunk);
        sha256 = HexFormat.of().formatHex(sha256().digest(chunk));
        service = UploadService.builder()
                .storage(InMemoryStorageDriver.create())
                .store(InMemoryUploadStore.create())
                .sweepInterval(Duration.ZERO)
                .chunkSizeLimits(CHUNK_BYTES, CHUNK_BYTES)
                .build();
        UploadSession session = service.initUpload(
                InitUploadRequest.builder().fileSize(CHUNK_BYTES).build());
        uploadId = session.uploadId();
        service.handleChunk(ChunkRequest.of(uploadId, 0, CHUNK_BYTES, source, sha256));
    }

    /** Closes the service. */
    @TearDown(Level.Trial)
    public void tearDown() {
        service.close();
    }

    /**
     * Baseline: reads the chunk straight from its stream into the 64 KiB buffer.
     *
     * @return the bytes read
     */
    @Benchmark
    public long baselinePlainRead() {
        source.rewind();
        long count = 0;
        int n;
        while ((n = source.read(buffer, 0, buffer.length)) >= 0) {
            count += n;
        }
        return count;
    }

    /**
     * Re-sends the chunk without a hash: read to its end and counted.
     *
     * @return whether the service saw a re-send
     */
    @Benchmark
    public boolean resendNoHash() {
        source.rewind();
        return service.handleChunk(ChunkRequest.of(uploadId, 0, CHUNK_BYTES, source))
                .alreadyReceived();
    }

    /**
     * Re-sends the chunk with its SHA-256: read to its end, hashed while streaming and verified.
     *
     * @return whether the service saw a re-send
     */
    @Benchmark
    public boolean resendSha256() {
        source.rewind();
        return service.handleChunk(ChunkRequest.of(uploadId, 0, CHUNK_BYTES, source, sha256))
                .alreadyReceived();
    }

    /**
     * Baseline: SHA-256 of the whole array in one {@link MessageDigest#update(byte[])}.
     *
     * @return the digest
     */
    @Benchmark
    public byte[] baselineDigestArray() {
        MessageDigest digest = sha256();
        digest.update(chunk);
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
