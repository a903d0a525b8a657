/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.torrin.server.spi.Health;
import io.torrin.testsupport.TcpProxy;
import java.net.URI;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's health check on real databases: up on PostgreSQL, MariaDB and H2, and down once the database
 * goes away (PostgreSQL reached through a proxy that the test stops, as the server stopping looks to the store).
 */
class JdbcHealthTest {

    @Test
    void upOnEveryDatabase() {
        for (DataSource dataSource : new DataSource[] {Databases.postgres(), Databases.mariadb(), Databases.h2()}) {
            String prefix = Databases.uniquePrefix();
            try (JdbcUploadStore store = JdbcUploadStore.builder(dataSource)
                    .tablePrefix(prefix)
                    .createSchema(true)
                    .build()) {
                Health health = store.checkHealth();
                assertThat(health.isUp()).as(health.toString()).isTrue();
                assertThat((String) health.details().get("database")).isNotBlank();
            } finally {
                Databases.dropTables(dataSource, prefix);
            }
        }
    }

    @Test
    void downWhenTheDatabaseStopsAndUpAgainWhenItIsBack() throws Exception {
        String url = ((HikariDataSource) Databases.postgres()).getJdbcUrl();
        URI address = URI.create(url.substring("jdbc:".length()));
        String prefix = Databases.uniquePrefix();
        try (TcpProxy proxy = TcpProxy.to(address.getHost(), address.getPort());
                HikariDataSource viaProxy = pool(url.replace(":" + address.getPort() + "/", ":" + proxy.port() + "/"));
                JdbcUploadStore store = JdbcUploadStore.builder(viaProxy)
                        .tablePrefix(prefix)
                        .createSchema(true)
                        .build()) {
            assertThat(store.checkHealth().isUp()).isTrue();
            proxy.stop();
            Health down = store.checkHealth();
            assertThat(down.status()).isEqualTo(Health.Status.DOWN);
            assertThat((String) down.details().get("error")).startsWith("the database is not reachable");
        } finally {
            Databases.dropTables(Databases.postgres(), prefix);
        }
    }

    @Test
    void downWhenTheTableIsMissing() {
        try (JdbcUploadStore store = JdbcUploadStore.builder(Databases.h2())
                .tablePrefix(Databases.uniquePrefix())
                .build()) {
            assertThat(store.checkHealth().isUp()).isFalse();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(((HikariDataSource) Databases.postgres()).getUsername());
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(500);
        return new HikariDataSource(config);
    }
}
