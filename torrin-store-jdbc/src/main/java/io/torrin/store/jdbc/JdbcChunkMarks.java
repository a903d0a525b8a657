/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import io.torrin.core.ChunkSet;
import io.torrin.core.UploadState;
import io.torrin.server.spi.support.GroupCommit;
import io.torrin.server.spi.support.UploadStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chunk marks of {@link JdbcUploadStore}, group-committed: a mark that arrives while another is being committed
 * waits, and every mark that waited is then committed in one transaction with one commit ({@link GroupCommit}). A
 * lone mark is committed by itself as before: on PostgreSQL one conditional {@code UPDATE} in its common case,
 * otherwise {@code SELECT ... FOR UPDATE} and {@code UPDATE} in one transaction. Each mark returns only after the
 * commit that holds it succeeded, with its own outcome; a batch whose transaction fails is rolled back and its marks
 * committed one by one, so each caller sees its own error. Thread-safe.
 */
final class JdbcChunkMarks {

    private final Jdbc jdbc;
    private final JdbcDialect dialect;
    private final String table;
    // null when marks are not batched (maxMarkBatch(1))
    private final GroupCommit<Mark, Boolean> group;

    JdbcChunkMarks(Jdbc jdbc, JdbcDialect dialect, String table, int maxBatch) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.table = table;
        this.group = maxBatch == 1 ? null : new GroupCommit<>(this::commit, maxBatch);
    }

    /**
     * Marks a chunk, together with the marks other threads make at the same time.
     *
     * @return whether the bit was newly set
     * @throws io.torrin.core.TorrinException as {@link JdbcUploadStore#markChunkReceived} (not found, not active,
     *     {@code STORAGE_ERROR})
     * @throws IllegalArgumentException if the index is out of range
     */
    boolean mark(String uploadId, int index, Instant expiresAt) {
        return group == null
                ? markAlone(uploadId, index, expiresAt)
                : group.submit(new Mark(uploadId, index, expiresAt));
    }

    /**
     * Commits one batch of marks: a lone mark by itself as it always was (the cheapest path), several in one
     * transaction; if that transaction fails, each mark by itself, so that every caller gets its own outcome.
     */
    private void commit(GroupCommit.Batch<Mark, Boolean> batch) {
        if (batch.size() > 1) {
            Object[] outcomes;
            try {
                outcomes = markTogether(batch.items());
            } catch (RuntimeException batchFailed) {
                // rolled back: nothing of it is durable, so each mark is committed again, alone
                outcomes = null;
            }
            if (outcomes != null) {
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] instanceof RuntimeException failure) {
                        batch.fail(i, failure);
                    } else {
                        batch.complete(i, (Boolean) outcomes[i]);
                    }
                }
                return;
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Mark mark = batch.items().get(i);
            batch.decide(i, () -> markAlone(mark.uploadId(), mark.index(), mark.expiresAt()));
        }
    }

    /** One mark in its own transaction (PostgreSQL: one statement in its common case). */
    private boolean markAlone(String uploadId, int index, Instant expiresAt) {
        if (dialect == JdbcDialect.POSTGRESQL && markInOneStatement(uploadId, index, expiresAt)) {
            return true;
        }
        return jdbc.transaction("record chunk " + index + " of upload " + uploadId, connection -> {
            UploadState state;
            long expiry;
            ChunkSet chunks;
            try (PreparedStatement select = connection.prepareStatement("SELECT state, expires_at, total_chunks, "
                    + "chunks FROM " + table + " WHERE upload_id = ? FOR UPDATE")) {
                select.setString(1, uploadId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw UploadStores.notFound(uploadId);
                    }
                    state = UploadState.fromWireName(row.getString(1));
                    expiry = row.getLong(2);
                    chunks = ChunkSet.fromByteArray(row.getInt(3), row.getBytes(4));
                }
            }
            ChunkSet marked = applyMark(uploadId, state, chunks, index);
            if (marked == chunks) {
                return false;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET chunks = ?, state = ?, expires_at = ? WHERE upload_id = ?")) {
                update.setBytes(1, marked.toByteArray());
                update.setString(2, UploadState.IN_PROGRESS.wireName());
                update.setLong(3, Math.max(expiry, expiresAt.toEpochMilli()));
                update.setString(4, uploadId);
                update.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Several marks in one transaction and one commit: every row concerned read and locked by one
     * {@code SELECT ... ORDER BY upload_id FOR UPDATE} (rows locked in key order, the same order in every
     * transaction, so two batches, of this or another instance, cannot deadlock on each other), each upload's marks
     * applied in arrival order by the rule of {@link #markAlone}, each changed row written once (one JDBC batch),
     * one commit.
     *
     * @return per mark, its outcome ({@link Boolean}) or its own failure ({@link RuntimeException}), valid only
     *     because the transaction committed
     * @throws RuntimeException if the transaction failed (it was rolled back)
     */
    private Object[] markTogether(List<Mark> batch) {
        Map<String, List<Integer>> byUpload = new TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byUpload.computeIfAbsent(batch.get(i).uploadId(), id -> new ArrayList<>())
                    .add(i);
        }
        Object[] outcomes = new Object[batch.size()];
        return jdbc.transaction("record " + batch.size() + " chunks", connection -> {
            // keyed by the id as stored, which is the id asked for unless the column's collation says otherwise
            Map<String, Row> rows = new LinkedHashMap<>();
            String placeholders = String.join(", ", Collections.nCopies(byUpload.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("SELECT upload_id, state, expires_at, "
                    + "total_chunks, chunks FROM " + table + " WHERE upload_id IN (" + placeholders + ")"
                    + " ORDER BY upload_id FOR UPDATE")) {
                int parameter = 1;
                for (String uploadId : byUpload.keySet()) {
                    select.setString(parameter++, uploadId);
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.put(
                                result.getString(1),
                                new Row(
                                        UploadState.fromWireName(result.getString(2)),
                                        result.getLong(3),
                                        ChunkSet.fromByteArray(result.getInt(4), result.getBytes(5))));
                    }
                }
            }
            for (Map.Entry<String, List<Integer>> upload : byUpload.entrySet()) {
                String uploadId = upload.getKey();
                Row row = rows.get(uploadId);
                if (row == null) {
                    String stored = storedId(connection, uploadId);
                    row = stored == null ? null : rows.get(stored);
                }
                for (int i : upload.getValue()) {
                    Mark mark = batch.get(i);
                    try {
                        if (row == null) {
                            throw UploadStores.notFound(uploadId);
                        }
                        ChunkSet marked = applyMark(uploadId, row.state, row.chunks, mark.index());
                        if (marked == row.chunks) {
                            outcomes[i] = false;
                        } else {
                            row.chunks = marked;
                            row.expiresAt =
                                    Math.max(row.expiresAt, mark.expiresAt().toEpochMilli());
                            row.changed = true;
                            outcomes[i] = true;
                        }
                    } catch (RuntimeException refused) {
                        outcomes[i] = refused;
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET chunks = ?, state = ?, expires_at = ? WHERE upload_id = ?")) {
                boolean any = false;
                for (Map.Entry<String, Row> entry : rows.entrySet()) {
                    Row row = entry.getValue();
                    if (row.changed) {
                        update.setBytes(1, row.chunks.toByteArray());
                        update.setString(2, UploadState.IN_PROGRESS.wireName());
                        update.setLong(3, row.expiresAt);
                        update.setString(4, entry.getKey());
                        update.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    update.executeBatch();
                }
            }
            return outcomes;
        });
    }

    /**
     * Finds the row an id the {@code IN} list matched under another spelling, if any (a collation that ignores
     * case or trailing spaces), so that two spellings of one id in a batch change one row as a lone mark would. Such
     * a row is locked already; in the common case the id is simply not there.
     */
    private String storedId(Connection connection, String uploadId) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT upload_id FROM " + table + " WHERE upload_id = ?")) {
            select.setString(1, uploadId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * The rule of a mark on a stored row, the same for a lone mark and a batch: the upload must be active
     * ({@link UploadStores#requireActive}) and the index in range.
     *
     * @return the chunks with the index, or {@code chunks} itself if it was set already
     * @throws io.torrin.core.TorrinException if the upload is not active
     * @throws IllegalArgumentException if the index is out of range
     */
    private static ChunkSet applyMark(String uploadId, UploadState state, ChunkSet chunks, int index) {
        UploadStores.requireActive(uploadId, state);
        return chunks.with(index);
    }

    /**
     * PostgreSQL's common case in one statement, so the row is locked for one round trip only: sets the bit
     * ({@code set_bit} numbers bits as {@link ChunkSet} does) if the upload is active, the index in range and the bit
     * not yet set. Anything else (not found, finished, out of range, already set) falls through to the general path,
     * which tells those cases apart.
     */
    private boolean markInOneStatement(String uploadId, int index, Instant expiresAt) {
        return jdbc.autoCommit("record chunk " + index + " of upload " + uploadId, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET chunks = set_bit(chunks, ?, 1), state = ?, expires_at = GREATEST(expires_at, ?)"
                    + " WHERE upload_id = ? AND state IN (?, ?) AND ? < total_chunks AND get_bit(chunks, ?) = 0")) {
                update.setInt(1, index);
                update.setString(2, UploadState.IN_PROGRESS.wireName());
                update.setLong(3, expiresAt.toEpochMilli());
                update.setString(4, uploadId);
                update.setString(5, UploadState.PENDING.wireName());
                update.setString(6, UploadState.IN_PROGRESS.wireName());
                update.setInt(7, index);
                update.setInt(8, index);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** The columns a mark reads of a locked row, and what the batch's marks made of them. */
    private static final class Row {
        final UploadState state;
        long expiresAt;
        ChunkSet chunks;
        boolean changed;

        Row(UploadState state, long expiresAt, ChunkSet chunks) {
            this.state = state;
            this.expiresAt = expiresAt;
            this.chunks = chunks;
        }
    }

    /** A chunk mark waiting for its commit. */
    private record Mark(String uploadId, int index, Instant expiresAt) {}
}
