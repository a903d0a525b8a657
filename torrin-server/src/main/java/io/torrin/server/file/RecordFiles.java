/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    private final Path directory;
    private final boolean fsync;

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
            if (valid < size) {
                LOG.warn(
                        "Upload {}: cutting a torn tail of {} bytes from {}",
                        uploadId,
                        size - valid,
                        log.getFileName());
                channel.truncate(valid);
                channel.force(true);
            }
        }
        return latestExpiry;
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

    /** Forces the directory, so that a file created or renamed in it survives a power loss. */
    void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Directory {} cannot be forced on this platform: {}", directory, e.toString());
        }
    }
}
