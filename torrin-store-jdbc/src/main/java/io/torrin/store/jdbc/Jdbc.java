/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/** Connection and transaction helpers shared by the store and its locks. */
final class Jdbc {

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs work on a connection in autocommit mode. */
    <T> T autoCommit(String action, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    /** Runs work in one transaction, rolled back on any failure (the failure is rethrown). */
    <T> T transaction(String action, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    static boolean isDuplicateKey(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if (current.getSQLState() != null && current.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether a failure only means "try again": a deadlock or serialization failure the database resolved by
     * rolling one transaction back (SQLState class 40).
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    static TorrinException failure(String action, SQLException e) {
        return new TorrinException(
                ErrorCode.STORAGE_ERROR,
                "the upload store could not " + action,
                Map.of("sqlState", String.valueOf(e.getSQLState())),
                e);
    }
}
