/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.jmh;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadSession;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
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
 * The chunk write path: {@link UploadService#handleChunk} of one 1 MiB chunk, read from a reusable in-memory
 * stream, into {@link LocalStorageDriver} ({@link Durability#NONE}, so the page cache, not the disk, is measured)
 * with {@link InMemoryUploadStore}, next to a plain {@link FileChannel} positional write of the same 1 MiB array.
 *
 * <p>Both write consecutive 1 MiB slots of a 256 MiB file and start a new file every 256 chunks (Torrin: abort the
 * upload and create the next; baseline: delete the file and create the next), so both pay the same amortized
 * file turnover and neither re-writes pages already in the page cache.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ChunkWriteBenchmark {

    /** The chunk size. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    private static final int CHUNKS_PER_FILE = 256;

    private Path directory;
    private byte[] chunk;
    private ResettableStream source;
    private InMemoryUploadStore store;
    private UploadService service;
    private String uploadId;
    private int nextChunk;
    private FileChannel plain;
    private Path plainFile;
    private int plainGeneration;
    private int nextSlot;

    /** Creates the benchmark state; JMH calls the setup. */
    public ChunkWriteBenchmark() {}

    /**
     * Creates the directory, the service and the baseline's file.
     *
     * @throws IOException if the directory or file cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("torrin-jmh-chunk");
        chunk = new byte[CHUNK_BYTES];
        new SplittableRandom(7).nextBytes(chunk);
        source = new ResettableStream(chunk);
        store = InMemoryUploadStore.create();
        service = UploadService.builder()
                .storage(LocalStorageDriver.builder(directory.resolve("torrin"))
                        .durability(Durability.NONE)
                        .build())
                .store(store)
                .sweepInterval(Duration.ZERO)
                .build();
        newUpload();
        Files.createDirectories(directory.resolve("plain"));
        newPlainFile();
    }

    /**
     * Stores the next chunk of the current upload through the service.
     *
     * @return the service's result
     */
    @Benchmark
    public ChunkResult torrinHandleChunk() {
        if (nextChunk == CHUNKS_PER_FILE) {
            service.abortUpload(uploadId);
            newUpload();
        }
        source.rewind();
        return service.handleChunk(ChunkRequest.of(uploadId, nextChunk++, CHUNK_BYTES, source));
    }

    /**
     * Writes the same 1 MiB with positional writes into the next slot of the baseline's file.
     *
     * @return the bytes written
     * @throws IOException if the write fails
     */
    @Benchmark
    public long baselineFileChannelWrite() throws IOException {
        if (nextSlot == CHUNKS_PER_FILE) {
            plain.close();
            Files.delete(plainFile);
            newPlainFile();
        }
        ByteBuffer bytes = ByteBuffer.wrap(chunk);
        long position = (long) nextSlot++ * CHUNK_BYTES;
        long written = 0;
        while (bytes.hasRemaining()) {
            written += plain.write(bytes, position + written);
        }
        return written;
    }

    /**
     * Closes everything and deletes the directory.
     *
     * @throws IOException if deleting fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        service.abortUpload(uploadId);
        service.close();
        store.close();
        plain.close();
        Files.deleteIfExists(plainFile);
        JmhFiles.deleteRecursively(directory);
    }

    private void newUpload() {
        UploadSession session = service.initUpload(InitUploadRequest.builder()
                .fileName("jmh.bin")
                .fileSize((long) CHUNKS_PER_FILE * CHUNK_BYTES)
                .desiredChunkSize(CHUNK_BYTES)
                .build());
        if (session.chunkSize() != CHUNK_BYTES) {
            throw new IllegalStateException("negotiated chunk size " + session.chunkSize());
        }
        uploadId = session.uploadId();
        nextChunk = 0;
    }

    private void newPlainFile() throws IOException {
        plainFile = directory.resolve("plain").resolve("plain-" + plainGeneration++ + ".bin");
        plain = FileChannel.open(plainFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        nextSlot = 0;
    }

    /** A {@link ByteArrayInputStream} over one array that can be rewound without allocating. */
    static final class ResettableStream extends ByteArrayInputStream {

        ResettableStream(byte[] bytes) {
            super(bytes);
        }

        void rewind() {
            pos = 0;
            mark = 0;
        }
    }
}
