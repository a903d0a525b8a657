/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk limit of the end-to-end benchmark: the same bytes, in the same chunks, with the same parallelism, written
 * straight into a file with positional {@link FileChannel} writes from the off-heap payload buffers (no copy, no HTTP,
 * no bookkeeping). Every writer of an upload shares its one channel, as positional writes allow. Like every other
 * column it never forces: "finish" closes the file, the bytes stay in the page cache. It has no request-rate rows.
 */
public final class DiskTarget implements E2eTarget {

    private final Path directory;
    private final AtomicLong files = new AtomicLong();

    private DiskTarget(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates the target.
     *
     * @param directory where its files go (created if missing)
     * @return the target
     * @throws IOException if the directory cannot be created
     */
    public static DiskTarget create(Path directory) throws IOException {
        return new DiskTarget(Files.createDirectories(directory));
    }

    @Override
    public String name() {
        return "FileChannel (disk limit)";
    }

    @Override
    public Role role() {
        return Role.DISK_LIMIT;
    }

    @Override
    public String durabilityNote() {
        return "no fsync: positional FileChannel writes into a new file, closed at the end, never forced";
    }

    @Override
    public int maxWritersPerUpload() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean servesRequests() {
        return false;
    }

    @Override
    public Connection connect() {
        return new DiskConnection();
    }

    @Override
    public void close() {
        // nothing runs
    }

    /** Writes through the upload's shared channel. */
    private final class DiskConnection implements Connection {

        @Override
        public Upload create(long size, int chunkSize) throws IOException {
            Path file = directory.resolve("upload-" + files.incrementAndGet());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new Upload(
                    file.toString(),
                    size,
                    chunkSize,
                    (int) ((size + chunkSize - 1) / chunkSize),
                    new Open(file, channel));
        }

        @Override
        public void write(Upload upload, int index, ByteBuffer[] body) throws IOException {
            FileChannel channel = ((Open) upload.handle()).channel();
            long position = upload.offset(index);
            for (ByteBuffer part : body) {
                while (part.hasRemaining()) {
                    position += channel.write(part, position);
                }
            }
        }

        @Override
        public Finished finish(Upload upload) throws IOException {
            Open open = (Open) upload.handle();
            long size = open.channel().size();
            open.channel().close();
            if (size != upload.size()) {
                throw new IOException(open.file() + " has " + size + " bytes, expected " + upload.size());
            }
            return new Finished(Optional.of(open.file()), "file size " + size);
        }

        @Override
        public void expectStored(Upload upload, int chunks) {
            throw new UnsupportedOperationException("the disk limit has no status request");
        }

        @Override
        public void discard(Upload upload, Finished finished) throws IOException {
            Open open = (Open) upload.handle();
            open.channel().close();
            Files.deleteIfExists(open.file());
        }

        @Override
        public void close() {
            // no connection
        }
    }

    /** An upload's file and its channel. */
    private record Open(Path file, FileChannel channel) {}
}
