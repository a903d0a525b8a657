/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.torrin.spring.app.TestApplication;
import io.torrin.testsupport.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot app whose sessions live in PostgreSQL (the machine's real server, reached through a proxy the test
 * can stop): {@code /actuator/health} reports the JDBC store UP, then DOWN (HTTP 503) once the database goes away.
 */
class DatabaseHealthTest {

    private static final String URL = System.getProperty(
            "TORRIN_TEST_POSTGRES_URL",
            System.getenv().getOrDefault("TORRIN_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    private static final String USER = System.getenv().getOrDefault("TORRIN_TEST_POSTGRES_USER", "postgres");

    @TempDir
    Path directory;

    @Test
    void healthWhenTheDatabaseStopsThenTheStoreIsDown() throws Exception {
        requirePostgres();
        URI address = URI.create(URL.substring("jdbc:".length()));
        String prefix = "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        HttpClient http = HttpClient.newHttpClient();
        try (TcpProxy proxy = TcpProxy.to(address.getHost(), address.getPort());
                HikariDataSource dataSource =
                        pool(URL.replace(":" + address.getPort() + "/", ":" + proxy.port() + "/"));
                ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class)
                        .initializers(context ->
                                context.getBeanFactory().registerSingleton("dataSource", (DataSource) dataSource))
                        .properties(
                                "server.port=0",
                                "management.endpoints.web.exposure.include=health",
                                "management.endpoint.health.show-details=always",
                                "torrin.storage.local.directory=" + directory,
                                "torrin.store.type=jdbc",
                                "torrin.store.jdbc.table-prefix=" + prefix,
                                "torrin.store.jdbc.create-schema=true")
                        .run()) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            URI health = URI.create("http://localhost:" + port + "/actuator/health");
            JsonNode up = get(http, health, 200);
            assertThat(up.at("/components/torrin/components/store/status").asText())
                    .isEqualTo("UP");
            assertThat(up.at("/components/torrin/components/store/details/kind").asText())
                    .isEqualTo("jdbc");
            assertThat(up.at("/components/torrin/components/store/details/database")
                            .asText())
                    .isEqualTo("PostgreSQL");

            proxy.stop();
            JsonNode down = get(http, health, 503);
            assertThat(down.at("/components/torrin/status").asText()).isEqualTo("DOWN");
            assertThat(down.at("/components/torrin/components/store/status").asText())
                    .isEqualTo("DOWN");
            assertThat(down.at("/components/torrin/components/store/details/error")
                            .asText())
                    .startsWith("the database is not reachable");
            assertThat(down.at("/components/torrin/components/storage/status").asText())
                    .isEqualTo("UP");
        } finally {
            try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
                for (String table : new String[] {"upload", "lock", "lock_head"}) {
                    connection.createStatement().execute("DROP TABLE IF EXISTS " + prefix + table);
                }
            }
        }
    }

    private static JsonNode get(HttpClient http, URI url, int status) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return new ObjectMapper().readTree(response.body());
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(USER);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(500);
        return new HikariDataSource(config);
    }

    private static void requirePostgres() {
        try (Connection probe = DriverManager.getConnection(URL, USER, "")) {
            assertThat(probe.isValid(2)).isTrue();
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + URL + ": " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must provide " + message);
            }
            Assumptions.abort("SKIPPED: " + message);
        }
    }
}
