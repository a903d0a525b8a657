/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The databases the JDBC store knows, each with its schema script ({@code schema-<name>.sql} in this package). */
public enum JdbcDialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql"),
    /** MariaDB 10.5 or later, and MySQL 8 (InnoDB). */
    MARIADB("mariadb"),
    /** H2 2.x. */
    H2("h2");

    private final String scriptName;

    JdbcDialect(String scriptName) {
        this.scriptName = scriptName;
    }

    /**
     * Recognizes the database behind a connection.
     *
     * @param connection an open connection
     * @return the dialect
     * @throws SQLException if the metadata cannot be read
     * @throws IllegalArgumentException for a database Torrin does not support
     */
    public static JdbcDialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database for the Torrin JDBC store: " + product);
    }

    /**
     * Returns the schema script of this dialect with the table prefix filled in, one statement per entry.
     *
     * @param tablePrefix the table prefix
     * @return the DDL statements
     */
    public List<String> schemaStatements(String tablePrefix) {
        String resource = "schema-" + scriptName + ".sql";
        try (InputStream in = JdbcDialect.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${prefix}", tablePrefix);
            return Arrays.stream(script.split(";"))
                    .map(statement -> statement
                            .lines()
                            .filter(line -> !line.trim().startsWith("--"))
                            .reduce("", (a, b) -> a + "\n" + b)
                            .trim())
                    .filter(statement -> !statement.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
