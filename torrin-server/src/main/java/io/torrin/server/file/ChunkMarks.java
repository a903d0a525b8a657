/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.support.GroupCommit;
import io.torrin.server.spi.support.UploadStores;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * One group commit's worth of chunk marks for {@link FileUploadStore}: the marks applied in order to an upload's
 * record by the store's rules ({@link UploadStores#mark}), and the chunk-log records of the new ones, ready for one
 * append. Marks that change nothing or break a rule get their outcome at once; the new ones get theirs only after
 * the append was forced ({@link Applied#succeed}); if it fails, they are the batch's open items.
 */
final class ChunkMarks {

    /** Bytes per chunk-log record: index, expiry (epoch milliseconds), CRC32C. */
    static final int RECORD_BYTES = 16;

    private ChunkMarks() {}

    /** One chunk mark waiting for its group commit. */
    record Mark(int index, Instant expiresAt) {}

    /** The outcome of applying a batch: the record after the new marks, their log records, which ones are new. */
    record Applied(UploadRecord record, ByteBuffer records, boolean[] fresh) {

        /** Tells whether no mark is new (nothing to append). */
        boolean isEmpty() {
            return records.remaining() == 0;
        }

        /** Reports every new mark as newly set; returns how many there were. */
        int succeed(GroupCommit.Batch<Mark, Boolean> batch) {
            int count = 0;
            for (int i = 0; i < fresh.length; i++) {
                if (fresh[i]) {
                    batch.complete(i, true);
                    count++;
                }
            }
            return count;
        }
    }

    /** Applies the batch's marks in order; marks already set are answered {@code false}, refused ones failed. */
    static Applied apply(UploadRecord record, GroupCommit.Batch<Mark, Boolean> batch) {
        UploadRecord current = record;
        ByteBuffer records = ByteBuffer.allocate(batch.size() * RECORD_BYTES);
        boolean[] fresh = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Mark mark = batch.items().get(i);
            try {
                Optional<UploadRecord> next = UploadStores.mark(current, mark.index(), mark.expiresAt());
                if (next.isEmpty()) {
                    batch.complete(i, false);
                    continue;
                }
                current = next.get();
                ByteBuffer entry = ByteBuffer.allocate(RECORD_BYTES)
                        .putInt(mark.index())
                        .putLong(mark.expiresAt().toEpochMilli());
                records.put(RecordFiles.withChecksum(entry));
                fresh[i] = true;
            } catch (RuntimeException e) {
                batch.fail(i, e);
            }
        }
        return new Applied(current, records.flip(), fresh);
    }
}
