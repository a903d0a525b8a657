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
 * no bookkeeping). Every writer of an upload shares its one channel, as positional writes allow. It has no
 * request-rate rows.
 *
 * <p>Three durabilities:
 * <ul>
 *   <li>page cache ({@link #create}): never forces; "finish" closes the file, the bytes stay in the page cache;</li>
 *   <li>data forced ({@link #createDataForced}): the physical limit at fsync per chunk: each chunk's bytes forced
 *       ({@code fdatasync}) after they are written, nothing else;</li>
 *   <li>the guarantee's flushes ({@link #createForced}): what Torrin's guarantee needs, done with plain file calls
 *       and nothing else. Creating writes a small session file, forces it and its directory (the upload survives a
 *       power loss once created); each chunk forces the data file and then appends a 16-byte record to the upload's
 *       log (created with the session, so no directory flush) and forces that (the chunk is acknowledged only once
 *       its bytes and its record are durable); finishing links the data file under its final name, forces that
 *       directory and appends and forces a completion record. So a chunk costs two flushes, an upload four more
 *       (six for a one-chunk file).</li>
 * </ul>
 */
public final class DiskTarget implements E2eTarget {

    private static final int SESSION_BYTES = 512;
    private static final int RECORD_BYTES = 16;

    private final Path directory;
    private final boolean dataForced;
    private final boolean forced;
    private final AtomicLong files = new AtomicLong();

    private DiskTarget(Path directory, boolean dataForced, boolean forced) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.dataForced = dataForced || forced;
        this.forced = forced;
        if (forced) {
            Files.createDirectories(directory.resolve("staging"));
            Files.createDirectories(directory.resolve("sessions"));
            Files.createDirectories(directory.resolve("files"));
        }
    }

    /**
     * Creates the page-cache target.
     *
     * @param directory where its files go (created if missing)
     * @return the target
     * @throws IOException if the directory cannot be created
     */
    public static DiskTarget create(Path directory) throws IOException {
        return new DiskTarget(directory, false, false);
    }

    /**
     * Creates the physical limit at fsync per chunk: every chunk's bytes forced, nothing else.
     *
     * @param directory where its files go (created if missing)
     * @return the target
     * @throws IOException if the directory cannot be created
     */
    public static DiskTarget createDataForced(Path directory) throws IOException {
        return new DiskTarget(directory, true, false);
    }

    /**
     * Creates the forced target: the guarantee's flushes with plain file calls (see the class description).
     *
     * @param directory where its files go (created if missing)
     * @return the target
     * @throws IOException if the directories cannot be created
     */
    public static DiskTarget createForced(Path directory) throws IOException {
        return new DiskTarget(directory, true, true);
    }

    @Override
    public String name() {
        return forced
                ? "FileChannel, the guarantee's flushes (limit)"
                : dataForced ? "FileChannel, fdatasync per chunk (limit)" : "FileChannel (disk limit)";
    }

    @Override
    public Role role() {
        return Role.DISK_LIMIT;
    }

    @Override
    public String durabilityNote() {
        return forced
                ? "the flushes the guarantee needs, with plain file calls: per upload a session file forced with its"
                        + " directory; per chunk the data file forced, then a 16-byte record appended to the upload's"
                        + " log and forced; at the end a hard link under the final name, that directory forced, and a"
                        + " completion record appended and forced"
                : dataForced
                        ? "each chunk's bytes forced (fdatasync) after they are written, nothing else: the physical"
                                + " limit of fsync per chunk"
                        : "no fsync: positional FileChannel writes into a new file, closed at the end, never forced";
    }

    @Override
    public boolean forcesEachRequest() {
        return dataForced;
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

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void appendRecord(FileChannel log, long value) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES).putLong(value).putLong(System.currentTimeMillis());
        record.flip();
        synchronized (log) {
            while (record.hasRemaining()) {
                log.write(record);
            }
        }
        log.force(false);
    }

    /** Writes through the upload's shared channel. */
    private final class DiskConnection implements Connection {

        @Override
        public Upload create(long size, int chunkSize) throws IOException {
            String name = "upload-" + files.incrementAndGet();
            Path file = forced ? directory.resolve("staging").resolve(name) : directory.resolve(name);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileChannel log = null;
            if (forced) {
                Path sessions = directory.resolve("sessions");
                try (FileChannel session = FileChannel.open(
                        sessions.resolve(name + ".session"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.allocate(SESSION_BYTES);
                    bytes.putLong(size)
                            .putLong(chunkSize)
                            .position(SESSION_BYTES)
                            .flip();
                    while (bytes.hasRemaining()) {
                        session.write(bytes);
                    }
                    session.force(false);
                }
                log = FileChannel.open(
                        sessions.resolve(name + ".log"),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                forceDirectory(sessions);
            }
            return new Upload(
                    file.toString(),
                    size,
                    chunkSize,
                    (int) ((size + chunkSize - 1) / chunkSize),
                    new Open(file, channel, log));
        }

        @Override
        public void write(Upload upload, int index, ByteBuffer[] body) throws IOException {
            Open open = (Open) upload.handle();
            FileChannel channel = open.channel();
            long position = upload.offset(index);
            for (ByteBuffer part : body) {
                while (part.hasRemaining()) {
                    position += channel.write(part, position);
                }
            }
            if (dataForced) {
                channel.force(false);
            }
            if (forced) {
                appendRecord(open.log(), index);
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
            Path stored = open.file();
            if (forced) {
                Path files = directory.resolve("files");
                stored = files.resolve(open.file().getFileName());
                Files.createLink(stored, open.file());
                forceDirectory(files);
                appendRecord(open.log(), -1);
                open.log().close();
            }
            return new Finished(Optional.of(stored), "file size " + size);
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
            if (forced) {
                open.log().close();
                String name = open.file().getFileName().toString();
                Files.deleteIfExists(directory.resolve("files").resolve(name));
                Files.deleteIfExists(directory.resolve("sessions").resolve(name + ".session"));
                Files.deleteIfExists(directory.resolve("sessions").resolve(name + ".log"));
            }
        }

        @Override
        public void close() {
            // no connection
        }
    }

    /** An upload's file, its channel and, when forced, its record log. */
    private record Open(Path file, FileChannel channel, FileChannel log) {}
}
