/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable file primitives of {@link FileUploadStore}: append-only logs of fixed-size records, each a payload
 * followed by its CRC32C, replayed up to the first torn or garbled record; and whole files replaced atomically
 * (written to a temporary sibling, forced, moved over the target). With {@code fsync} on, every write is forced and
 * so is the directory when a file appears. Thread-safe; callers serialize writes to one file.
 */
final class RecordFiles {

    /** The latest expiry {@link #replay} reports for a missing or empty log. */
    static final long NO_RECORDS = Long.MIN_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(RecordFiles.class);
    private static final String TEMP_SUFFIX = ".tmp";
    /** The largest framed record replay accepts; a longer length field is a garbled tail. */
    private static final int MAX_FRAMED_BYTES = 64 * 1024 * 1024;

    private final Path directory;
    private final boolean fsync;
    private final LongAdder forces = new LongAdder();

    RecordFiles(Path directory, boolean fsync) {
        this.directory = directory;
        this.fsync = fsync;
    }

    /**
     * Replays a log of fixed-size records, each a payload ending in an expiry (epoch milliseconds) followed by the
     * CRC32C of the payload: hands every intact record's payload to {@code entry} in order, stops at the first
     * record whose checksum fails or that {@code entry} rejects, and cuts the log there (a torn or garbled tail).
     *
     * @return the latest expiry of the accepted records, or {@link #NO_RECORDS} if the log is missing or empty
     */
    long replay(Path log, int recordBytes, String uploadId, Predicate<ByteBuffer> entry) throws IOException {
        if (!Files.exists(log)) {
            return NO_RECORDS;
        }
        int payload = recordBytes - Integer.BYTES;
        long latestExpiry = NO_RECORDS;
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long valid = 0;
            ByteBuffer buffer = ByteBuffer.allocate(recordBytes * 4096);
            replay:
            while (size - valid >= recordBytes) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), (size - valid) / recordBytes * recordBytes));
                while (buffer.hasRemaining() && channel.read(buffer, valid + buffer.position()) >= 0) {
                    // fill
                }
                buffer.flip();
                if (buffer.remaining() < recordBytes) {
                    break;
                }
                for (int at = 0; at + recordBytes <= buffer.limit(); at += recordBytes) {
                    ByteBuffer record = buffer.slice(at, payload);
                    if (buffer.getInt(at + payload) != crc32c(record) || !entry.test(record)) {
                        break replay;
                    }
                    latestExpiry = Math.max(latestExpiry, record.getLong(payload - Long.BYTES));
                    valid += recordBytes;
                }
            }
            cutTail(channel, log, uploadId, valid, size);
        }
        return latestExpiry;
    }

    /**
     * Appends one variable-length record to a log: its length, the payload, the CRC32C of the payload. Forced
     * (data only) when {@code fsync} is on, and the directory too if the log is new.
     */
    void appendFramed(Path log, byte[] payload, boolean maybeNewFile) throws IOException {
        ByteBuffer framed = ByteBuffer.allocate(Integer.BYTES + payload.length + Integer.BYTES);
        framed.putInt(payload.length).put(payload);
        framed.putInt(crc32c(ByteBuffer.wrap(payload))).flip();
        append(log, framed, maybeNewFile);
    }

    /**
     * Replays a log of {@link #appendFramed} records and cuts it after the last intact one (a torn or garbled tail).
     *
     * @return the payload of the last intact record, or {@code null} if the log is missing or has none
     */
    byte[] replayFramed(Path log, String uploadId) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        byte[] last = null;
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long valid = 0;
            ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
            while (size - valid >= 2L * Integer.BYTES) {
                header.clear();
                readFully(channel, header, valid);
                int length = header.getInt(0);
                if (length < 1 || length > MAX_FRAMED_BYTES || size - valid < 2L * Integer.BYTES + length) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length + Integer.BYTES);
                readFully(channel, body, valid + Integer.BYTES);
                if (body.getInt(length) != crc32c(body.slice(0, length))) {
                    break;
                }
                last = new byte[length];
                body.get(0, last);
                valid += 2L * Integer.BYTES + length;
            }
            cutTail(channel, log, uploadId, valid, size);
        }
        return last;
    }

    private static void cutTail(FileChannel channel, Path log, String uploadId, long valid, long size)
            throws IOException {
        if (valid < size) {
            LOG.warn("Upload {}: cutting a torn tail of {} bytes from {}", uploadId, size - valid, log.getFileName());
            channel.truncate(valid);
            channel.force(true);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Creates an empty file if there is none (its directory entry is forced by the next directory force). */
    static void createIfMissing(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // there already
        }
    }

    /** Appends the CRC32C of the payload written so far and flips the record for writing. */
    static ByteBuffer withChecksum(ByteBuffer record) {
        int payload = record.position();
        return record.putInt(crc32c(record.slice(0, payload))).flip();
    }

    private static int crc32c(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    void append(Path log, ByteBuffer buffer, boolean maybeNewFile) throws IOException {
        boolean created = maybeNewFile && !Files.exists(log);
        try (FileChannel channel =
                FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(false);
                forces.increment();
            }
        }
        if (fsync && created) {
            forceDirectory();
        }
    }

    /** Replaces a file atomically with new content: a temporary sibling is written (forced), then moved over it. */
    void replace(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        ByteBuffer bytes = ByteBuffer.wrap(content);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (fsync) {
                channel.force(true);
                forces.increment();
            }
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (fsync) {
            forceDirectory();
        }
    }

    /** Counts the forces (files and the directory) issued so far, replays' tail cuts aside; for tests. */
    long forces() {
        return forces.sum();
    }

    /** Forces the directory, so that a file created or renamed in it survives a power loss. */
    void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
            forces.increment();
        } catch (IOException e) {
            LOG.debug("Directory {} cannot be forced on this platform: {}", directory, e.toString());
        }
    }
}
