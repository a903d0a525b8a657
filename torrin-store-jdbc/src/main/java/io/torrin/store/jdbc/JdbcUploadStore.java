/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import io.torrin.core.ChunkSet;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.AbstractUploadStore;
import io.torrin.server.spi.support.LeaseLocks;
import io.torrin.server.spi.support.UploadRecordCodec;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * An {@link UploadStore} on plain JDBC for PostgreSQL, MariaDB/MySQL and H2, with cross-instance lease locks: the
 * store for several application instances that share a database.
 *
 * <p>One row per upload in {@code <prefix>upload}: the session as a JSON document, and in their own columns what
 * changes (state, expiry with an index for the sweep, the received-chunk bitmap, the location). Marking a chunk
 * locks the row ({@code SELECT ... FOR UPDATE}) and updates the bitmap in one transaction (on PostgreSQL, one
 * conditional {@code UPDATE} in the common case), so concurrent marks from any number of instances never lose an
 * update; marks that arrive together share one transaction and one commit
 * ({@link Builder#maxMarkBatch(int)}); state transitions are one conditional {@code UPDATE}.
 * {@link #locks()} are {@link LeaseLocks} in two more tables (30-second lease by default, renewed while held).
 *
 * <p>The schema is in {@code schema-<dialect>.sql} next to this class; {@link Builder#createSchema(boolean)} runs it
 * at build time (idempotent), or run it yourself with your migration tool. The store never closes the
 * {@link DataSource}; use a connection pool. Thread-safe.
 *
 * <pre>{@code
 * JdbcUploadStore store = JdbcUploadStore.builder(dataSource).createSchema(true).build();
 * }</pre>
 */
public final class JdbcUploadStore extends AbstractUploadStore implements HealthCheck {

    private final Jdbc jdbc;
    private final JdbcDialect dialect;
    private final String table;
    private final String tablePrefix;
    private final JdbcLeaseLocks locks;
    private final JdbcChunkMarks marks;

    private JdbcUploadStore(Builder builder) {
        this.jdbc = new Jdbc(builder.dataSource);
        this.tablePrefix = builder.tablePrefix;
        this.table = tablePrefix + "upload";
        this.dialect =
                builder.dialect != null ? builder.dialect : jdbc.autoCommit("detect the database", JdbcDialect::detect);
        this.locks = new JdbcLeaseLocks(jdbc, tablePrefix, builder.lockLease);
        this.marks = new JdbcChunkMarks(jdbc, dialect, table, builder.maxMarkBatch);
        if (builder.createSchema) {
            createSchema();
        }
    }

    /**
     * Starts a builder.
     *
     * @param dataSource the database, not null; never closed by the store
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Returns the dialect in use.
     *
     * @return the dialect
     */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** Creates the tables and index if they do not exist. Idempotent. */
    public void createSchema() {
        jdbc.autoCommit("create its schema", connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : dialect.schemaStatements(tablePrefix)) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    @Override
    protected void doCreate(UploadRecord record) {
        boolean inserted = jdbc.autoCommit("save upload " + record.uploadId(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " (upload_id, record, state, expires_at, total_chunks, chunks, location)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, record.uploadId());
                insert.setString(2, new String(UploadRecordCodec.encode(record), StandardCharsets.UTF_8));
                insert.setString(3, record.session().state().wireName());
                insert.setLong(4, record.session().expiresAt().toEpochMilli());
                insert.setInt(5, record.session().totalChunks());
                insert.setBytes(6, UploadStores.chunkBitmap(record).toByteArray());
                insert.setString(
                        7,
                        record.location().map(UploadRecordCodec::encodeLocation).orElse(null));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Jdbc.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
        if (!inserted) {
            throw new IllegalStateException("upload exists: " + record.uploadId());
        }
    }

    @Override
    protected Optional<UploadRecord> doFind(String uploadId) {
        return jdbc.autoCommit("read upload " + uploadId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT record, state, expires_at, "
                    + "total_chunks, chunks, location FROM " + table + " WHERE upload_id = ?")) {
                select.setString(1, uploadId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.empty();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Group-committed: marks that arrive while another mark of this store is being committed wait and are then
     * committed together, in one transaction (see {@link Builder#maxMarkBatch(int)}). Returns only after the commit
     * that holds this mark succeeded.
     */
    @Override
    protected boolean doMarkChunkReceived(String uploadId, int index, Instant expiresAt) {
        return marks.mark(uploadId, index, expiresAt);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the row {@code FOR UPDATE} and rewrites its record document with the new offset, in one
     * transaction.
     */
    @Override
    protected boolean doAdvanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        return jdbc.transaction("record the offset of upload " + uploadId, connection -> {
            UploadRecord stored;
            try (PreparedStatement select = connection.prepareStatement("SELECT record, state, expires_at, "
                    + "total_chunks, chunks, location FROM " + table + " WHERE upload_id = ? FOR UPDATE")) {
                select.setString(1, uploadId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw UploadStores.notFound(uploadId);
                    }
                    stored = read(row);
                }
            }
            Optional<UploadRecord> next = UploadStores.advance(stored, expectedOffset, newOffset, fileSize, expiresAt);
            if (next.isEmpty()) {
                return false;
            }
            UploadRecord advanced = next.get();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET record = ?, state = ?, expires_at = ?, total_chunks = ?, chunks = ? WHERE upload_id = ?")) {
                update.setString(1, new String(UploadRecordCodec.encode(advanced), StandardCharsets.UTF_8));
                update.setString(2, advanced.session().state().wireName());
                update.setLong(3, advanced.session().expiresAt().toEpochMilli());
                update.setInt(4, advanced.session().totalChunks());
                update.setBytes(5, UploadStores.chunkBitmap(advanced).toByteArray());
                update.setString(6, uploadId);
                update.executeUpdate();
            }
            return true;
        });
    }

    @Override
    protected boolean doTransition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location) {
        return jdbc.autoCommit("update upload " + uploadId, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET state = ?, "
                    + "expires_at = ?, location = COALESCE(?, location) WHERE upload_id = ? AND state = ?")) {
                update.setString(1, next.wireName());
                update.setLong(2, expiresAt.toEpochMilli());
                update.setString(
                        3, location.map(UploadRecordCodec::encodeLocation).orElse(null));
                update.setString(4, uploadId);
                update.setString(5, expected.wireName());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    protected boolean doDelete(String uploadId) {
        return jdbc.autoCommit("delete upload " + uploadId, connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " WHERE upload_id = ?")) {
                delete.setString(1, uploadId);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    protected List<UploadRecord> doFindExpired(Instant now, int limit) {
        return jdbc.autoCommit("find expired uploads", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT record, state, expires_at, "
                    + "total_chunks, chunks, location FROM " + table
                    + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?")) {
                select.setLong(1, now.toEpochMilli());
                select.setInt(2, limit);
                List<UploadRecord> records = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    @Override
    public UploadLocks locks() {
        return locks;
    }

    /** Stops renewing lock leases. Does not close the {@link DataSource}. Idempotent. */
    @Override
    protected void doClose() {
        locks.close();
    }

    private static UploadRecord read(ResultSet row) throws SQLException {
        try {
            ChunkSet chunks = ChunkSet.fromByteArray(row.getInt(4), row.getBytes(5));
            String location = row.getString(6);
            return UploadStores.assemble(
                    row.getString(1).getBytes(StandardCharsets.UTF_8),
                    UploadState.fromWireName(row.getString(2)),
                    Instant.ofEpochMilli(row.getLong(3)),
                    chunks,
                    location == null ? Optional.empty() : Optional.of(UploadRecordCodec.decodeLocation(location)));
        } catch (IOException e) {
            throw new SQLException("unreadable upload record: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the database answers: a connection from the data source that is valid within two seconds, and
     * the store's table readable.
     *
     * @return up with the database product, or down with the reason
     */
    @Override
    public Health checkHealth() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("table", table);
        try {
            return jdbc.autoCommit("check the database", connection -> {
                details.put("database", connection.getMetaData().getDatabaseProductName());
                if (!connection.isValid(2)) {
                    return Health.down("the connection is not valid", details);
                }
                try (var statement = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
                    statement.setQueryTimeout(2);
                    statement.executeQuery().close();
                }
                return Health.up(details);
            });
        } catch (RuntimeException e) {
            return Health.down("the database is not reachable: " + rootMessage(e), details);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Builds a {@link JdbcUploadStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tablePrefix = "torrin_";
        private JdbcDialect dialect;
        private boolean createSchema;
        private Duration lockLease = Duration.ofSeconds(30);
        private int maxMarkBatch = 64;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Sets the prefix of the tables. Default {@code torrin_}.
         *
         * @param prefix letters, digits and underscores
         * @return this builder
         */
        public Builder tablePrefix(String prefix) {
            if (!prefix.matches("[A-Za-z_][A-Za-z0-9_]{0,30}")) {
                throw new IllegalArgumentException("table prefix must be letters, digits and underscores: " + prefix);
            }
            this.tablePrefix = prefix;
            return this;
        }

        /**
         * Sets the dialect instead of detecting it from the connection's metadata.
         *
         * @param dialect the dialect, not null
         * @return this builder
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Sets whether {@link #build()} creates missing tables. Default {@code false}.
         *
         * @param create whether to create the schema
         * @return this builder
         */
        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        /**
         * Sets the lease of locks: a crashed holder's lock frees itself after at most this long. Default 30 s.
         *
         * @param lease at least one second
         * @return this builder
         */
        public Builder lockLease(Duration lease) {
            this.lockLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Sets the most chunk marks one transaction commits together. Default 64.
         *
         * <p>A mark that arrives while another mark of the same store is being committed waits, and is then
         * committed together with every other mark that waited meanwhile (up to this many, of any uploads): one
         * transaction, each row read and written once, one commit. A lone mark is committed by itself, without
         * waiting. {@code 1} turns batching off: every mark is then its own transaction on its own pooled connection,
         * concurrently with the others, as before batching. Each mark still returns only after the commit that holds
         * it, with its own outcome; a batch whose transaction fails is retried mark by mark.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max < 1}
         */
        public Builder maxMarkBatch(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxMarkBatch must be at least 1: " + max);
            }
            this.maxMarkBatch = max;
            return this;
        }

        /**
         * Builds the store (detecting the dialect and creating the schema if asked, which needs the database).
         *
         * @return the store
         * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the database cannot be reached
         */
        public JdbcUploadStore build() {
            return new JdbcUploadStore(this);
        }
    }
}
