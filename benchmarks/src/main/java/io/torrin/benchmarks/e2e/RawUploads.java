/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whole-file uploads with the benchmark's raw-socket {@link TorrinClient}: the baseline the {@code client}
 * benchmark measures {@code torrin-client} against, doing the same protocol work (chunk and file SHA-256).
 */
public final class RawUploads {

    private RawUploads() {}

    /**
     * Uploads one file: create, its chunks from {@code parallel} connections (each with its SHA-256, read from the
     * file into a direct buffer), complete with the whole file's SHA-256 (computed on another thread meanwhile).
     *
     * @param endpoint the mount URL
     * @param file the file
     * @param chunk the chunk size to ask for
     * @param parallel connections in flight
     * @throws Exception if anything fails
     */
    public static void upload(URI endpoint, Path file, long chunk, int parallel) throws Exception {
        long size = Files.size(file);
        CompletableFuture<String> whole = CompletableFuture.supplyAsync(() -> sha256(file));
        TorrinClient.Created created;
        try (TorrinClient control = new TorrinClient(endpoint)) {
            created = control.create(size, chunk);
            AtomicInteger next = new AtomicInteger();
            int threads = Math.min(parallel, created.totalChunks());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(chunk, size));
                        try (TorrinClient connection = new TorrinClient(endpoint)) {
                            for (int index = next.getAndIncrement();
                                    index < created.totalChunks();
                                    index = next.getAndIncrement()) {
                                long offset = index * created.chunkSize();
                                int length = (int) Math.min(created.chunkSize(), size - offset);
                                buffer.clear().limit(length);
                                while (buffer.hasRemaining()) {
                                    channel.read(buffer, offset + buffer.position());
                                }
                                buffer.flip();
                                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                                digest.update(buffer.duplicate());
                                connection.putChunk(
                                        created.uploadId(),
                                        index,
                                        HexFormat.of().formatHex(digest.digest()),
                                        buffer);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdown();
            }
            control.complete(created.uploadId(), whole.join());
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return TestFiles.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
