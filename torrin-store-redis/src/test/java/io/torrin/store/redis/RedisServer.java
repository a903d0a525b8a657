/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The real Redis the tests run on: at {@code TORRIN_TEST_REDIS_URL} (system property or environment; default the
 * local service of the development and CI machines, {@code redis://127.0.0.1:6379}); without it a Testcontainers
 * Redis when Docker exists; otherwise the test is skipped with a message, except in CI, where it fails.
 */
final class RedisServer {

    private static JedisPooled client;
    private static HostAndPort address;

    private RedisServer() {}

    static synchronized JedisPooled client() {
        if (client == null) {
            String url = System.getProperty(
                    "TORRIN_TEST_REDIS_URL",
                    System.getenv().getOrDefault("TORRIN_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
            JedisPooled candidate = new JedisPooled(URI.create(url));
            try {
                candidate.ping();
                client = candidate;
                URI uri = URI.create(url);
                address = new HostAndPort(uri.getHost(), uri.getPort());
            } catch (JedisException unreachable) {
                candidate.close();
                if (DockerClientFactory.instance().isDockerAvailable()) {
                    GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
                    redis.start();
                    client = new JedisPooled(redis.getHost(), redis.getMappedPort(6379));
                    address = new HostAndPort(redis.getHost(), redis.getMappedPort(6379));
                } else {
                    String message = "Redis is not reachable at " + url + " and Docker is not available";
                    if ("true".equals(System.getenv("CI"))) {
                        throw new AssertionError("CI must provide " + message);
                    }
                    Assumptions.abort("SKIPPED: " + message);
                }
            }
        }
        return client;
    }

    /** The address of the Redis that {@link #client()} talks to. */
    static synchronized HostAndPort address() {
        client();
        return address;
    }

    /** A key prefix unique to one test, so tests never see each other's keys. */
    static String uniquePrefix() {
        return "torrin-test:" + UUID.randomUUID() + ":";
    }
}
