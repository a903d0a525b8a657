/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real databases the JDBC tests run on. Each is found at a configurable address (system property or
 * environment variable {@code TORRIN_TEST_POSTGRES_URL} / {@code TORRIN_TEST_MARIADB_URL}, defaulting to the local
 * services of the development and CI machines); without it, Testcontainers starts one when Docker exists;
 * otherwise the test is skipped with a message, except in CI ({@code CI=true}), where a missing database fails.
 */
final class Databases {

    private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();

    private Databases() {}

    static DataSource postgres() {
        return POOLS.computeIfAbsent(
                "postgres",
                k -> find(
                        "PostgreSQL",
                        setting("TORRIN_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
                        setting("TORRIN_TEST_POSTGRES_USER", "postgres"),
                        () -> new PostgreSQLContainer<>("postgres:16-alpine")));
    }

    static DataSource mariadb() {
        return POOLS.computeIfAbsent(
                "mariadb",
                k -> find(
                        "MariaDB",
                        setting("TORRIN_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"),
                        setting("TORRIN_TEST_MARIADB_USER", "root"),
                        () -> new MariaDBContainer<>("mariadb:11")));
    }

    static DataSource h2() {
        return POOLS.computeIfAbsent("h2", k -> pool("jdbc:h2:mem:torrin;DB_CLOSE_DELAY=-1", "sa", ""));
    }

    /** A table prefix unique to one test, so tests never see each other's rows. */
    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
    }

    static void dropTables(DataSource dataSource, String prefix) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"upload", "lock", "lock_head"}) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DataSource find(String name, String url, String user, Supplier<JdbcDatabaseContainer<?>> container) {
        try (Connection probe = DriverManager.getConnection(url, user, "")) {
            return pool(url, user, "");
        } catch (SQLException unreachable) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                JdbcDatabaseContainer<?> started = container.get();
                started.start();
                return pool(started.getJdbcUrl(), started.getUsername(), started.getPassword());
            }
            String message = name + " is not reachable at " + url + " (" + unreachable.getMessage()
                    + ") and Docker is not available";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must provide " + message);
            }
            Assumptions.abort("SKIPPED: " + message);
            throw new IllegalStateException(message);
        }
    }

    private static DataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(24);
        config.setPoolName("torrin-test-" + Math.abs(url.hashCode()));
        return new HikariDataSource(config);
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
