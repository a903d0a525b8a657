/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadStatus;
import io.torrin.server.internal.ChunkBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Uploads local files through an {@link UploadService} without HTTP, for batch jobs: chunks are read with
 * positional reads from one open file and sent by several threads, each with its SHA-256 so the service verifies
 * it while storing; nothing larger than a 64 KiB buffer per thread is held in memory.
 *
 * <pre>{@code
 * FileUploader uploader = FileUploader.create(service).threads(4);
 * CompleteResult result = uploader.upload(Path.of("video.mp4"), request -> request.putMetadata("job", "nightly"),
 *     bytes -> System.out.println(bytes + " bytes sent"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #threads(int)} returns a new instance. Threads are created per call and
 * stopped before it returns.
 */
public final class FileUploader {

    private final UploadService service;
    private final int threads;

    private FileUploader(UploadService service, int threads) {
        this.service = service;
        this.threads = threads;
    }

    /**
     * Creates an uploader that sends 4 chunks at a time.
     *
     * @param service the service, not null
     * @return the uploader
     */
    public static FileUploader create(UploadService service) {
        return new FileUploader(Objects.requireNonNull(service, "service"), 4);
    }

    /**
     * Returns an uploader that sends this many chunks at a time.
     *
     * @param threads at least 1
     * @return a new uploader
     */
    public FileUploader threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        return new FileUploader(service, threads);
    }

    /** Adjusts the init request of a file, for example to add metadata. */
    @FunctionalInterface
    public interface RequestCustomizer {
        /**
         * Adjusts the request.
         *
         * @param request the request with file name and size set
         */
        void customize(InitUploadRequest.Builder request);
    }

    /**
     * Uploads a file as a new upload and completes it.
     *
     * @param file a regular file, not null
     * @param customizer adjusts the init request (file name and size are preset), not null
     * @param progress receives the number of bytes of each stored chunk, from the uploading threads, not null
     * @return the completed upload
     * @throws TorrinException as the service raises it; a failed upload stays resumable with
     *     {@link #resume(String, Path, LongConsumer)}
     * @throws UncheckedIOException if the file cannot be read
     */
    public CompleteResult upload(Path file, RequestCustomizer customizer, LongConsumer progress) {
        InitUploadRequest.Builder request = InitUploadRequest.builder()
                .fileName(file.getFileName().toString())
                .fileSize(size(file));
        customizer.customize(request);
        UploadSession session = service.initUpload(request.build());
        return send(session, session.totalChunks(), allChunks(session), file, progress);
    }

    /**
     * Sends the chunks of an existing upload that the service does not have yet, then completes it.
     *
     * @param uploadId the upload, not null
     * @param file the same file it was started with, not null
     * @param progress receives the number of bytes of each stored chunk, not null
     * @return the completed upload
     * @throws TorrinException as the service raises it
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file's size is not the upload's
     */
    public CompleteResult resume(String uploadId, Path file, LongConsumer progress) {
        UploadStatus status = service.getStatus(uploadId);
        if (status.session().knownFileSize() != size(file)) {
            throw new IllegalArgumentException("the file has " + size(file) + " bytes, the upload "
                    + status.session().knownFileSize());
        }
        return send(status.session(), status.session().totalChunks(), status.missingChunks(), file, progress);
    }

    private CompleteResult send(
            UploadSession session, int total, List<Integer> indices, Path file, LongConsumer progress) {
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, indices.size())));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < indices.size(); i = next.getAndIncrement()) {
                        int index = indices.get(i);
                        long offset = session.offsetOf(index);
                        long length = session.expectedChunkSize(index);
                        String sha256 = sha256(channel, offset, length);
                        try (InputStream body = new RegionInputStream(channel, offset, length)) {
                            service.handleChunk(ChunkRequest.of(session.uploadId(), index, length, body, sha256));
                        }
                        progress.accept(length);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException(
                    "cannot read " + file, e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading " + file, e);
        } finally {
            workers.shutdownNow();
        }
        return service.completeUpload(session.uploadId());
    }

    private static List<Integer> allChunks(UploadSession session) {
        List<Integer> indices = new ArrayList<>(session.totalChunks());
        for (int i = 0; i < session.totalChunks(); i++) {
            indices.add(i);
        }
        return indices;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String sha256(FileChannel channel, long offset, long length) throws IOException {
        MessageDigest digest = ChunkBody.sha256();
        try (InputStream in = new RegionInputStream(channel, offset, length)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One region of a file, read with positional reads so threads can share the channel. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionInputStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
