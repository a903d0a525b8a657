/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.support.LeaseLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Lease locks in two tables: {@code <prefix>lock_head} has one row per lock name in use, which every acquirer locks
 * ({@code SELECT ... FOR UPDATE}) to serialize decisions on that name across instances; {@code <prefix>lock} has one
 * row per holder or waiting writer (owner token, mode, lease expiry). Thread-safe.
 */
final class JdbcLeaseLocks extends LeaseLocks {

    private final Jdbc jdbc;
    private final String head;
    private final String lock;

    JdbcLeaseLocks(Jdbc jdbc, String tablePrefix, Duration lease) {
        super(lease);
        this.jdbc = jdbc;
        this.head = tablePrefix + "lock_head";
        this.lock = tablePrefix + "lock";
    }

    @Override
    protected boolean tryAcquire(String key, String owner, LockMode mode, long expiresAtMillis, long nowMillis) {
        try {
            return attempt(key, owner, mode, expiresAtMillis, nowMillis);
        } catch (RuntimeException e) {
            if (Jdbc.isTransient(e)) {
                return false;
            }
            throw e;
        }
    }

    private boolean attempt(String key, String owner, LockMode mode, long expiresAtMillis, long nowMillis) {
        jdbc.autoCommit("register the lock " + key, connection -> {
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO " + head + " (lock_key) VALUES (?)")) {
                insert.setString(1, key);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!Jdbc.isDuplicateKey(e)) {
                    throw e;
                }
            }
            return null;
        });
        return jdbc.transaction("take the lock " + key, connection -> {
            if (!lockHead(connection, key)) {
                return false;
            }
            try (PreparedStatement expired =
                    connection.prepareStatement("DELETE FROM " + lock + " WHERE lock_key = ? AND expires_at < ?")) {
                expired.setString(1, key);
                expired.setLong(2, nowMillis);
                expired.executeUpdate();
            }
            boolean blocksShared = false;
            boolean blocksExclusive = false;
            try (PreparedStatement holders =
                    connection.prepareStatement("SELECT owner, mode FROM " + lock + " WHERE lock_key = ?")) {
                holders.setString(1, key);
                try (ResultSet rows = holders.executeQuery()) {
                    while (rows.next()) {
                        if (rows.getString(1).equals(owner)) {
                            continue;
                        }
                        String other = rows.getString(2);
                        blocksShared |= other.equals("X") || other.equals("W");
                        blocksExclusive |= other.equals("X") || other.equals("S");
                    }
                }
            }
            boolean granted = mode == LockMode.SHARED ? !blocksShared : !blocksExclusive;
            if (!granted && mode == LockMode.SHARED) {
                return false;
            }
            deleteOwn(connection, key, owner);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + lock + " (lock_key, owner, mode, expires_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, owner);
                insert.setString(3, granted ? (mode == LockMode.SHARED ? "S" : "X") : "W");
                insert.setLong(4, expiresAtMillis);
                insert.executeUpdate();
            }
            return granted;
        });
    }

    @Override
    protected boolean renew(String key, String owner, long expiresAtMillis) {
        return jdbc.autoCommit("renew the lock " + key, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + lock + " SET expires_at = ? WHERE lock_key = ? AND owner = ?")) {
                update.setLong(1, expiresAtMillis);
                update.setString(2, key);
                update.setString(3, owner);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    protected void release(String key, String owner) {
        for (int attempt = 1; ; attempt++) {
            try {
                releaseOnce(key, owner);
                return;
            } catch (RuntimeException e) {
                if (!Jdbc.isTransient(e) || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private void releaseOnce(String key, String owner) {
        jdbc.transaction("release the lock " + key, connection -> {
            if (!lockHead(connection, key)) {
                return null;
            }
            deleteOwn(connection, key, owner);
            try (PreparedStatement remaining =
                    connection.prepareStatement("SELECT COUNT(*) FROM " + lock + " WHERE lock_key = ?")) {
                remaining.setString(1, key);
                try (ResultSet rows = remaining.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        try (PreparedStatement delete =
                                connection.prepareStatement("DELETE FROM " + head + " WHERE lock_key = ?")) {
                            delete.setString(1, key);
                            delete.executeUpdate();
                        }
                    }
                }
            }
            return null;
        });
    }

    private boolean lockHead(Connection connection, String key) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT lock_key FROM " + head + " WHERE lock_key = ? FOR UPDATE")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void deleteOwn(Connection connection, String key, String owner) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM " + lock + " WHERE lock_key = ? AND owner = ?")) {
            delete.setString(1, key);
            delete.setString(2, owner);
            delete.executeUpdate();
        }
    }
}
