/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.spi.Health;
import io.torrin.testsupport.TcpProxy;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The Redis store's health check on a real Redis: up, then down once Redis goes away (behind a stopped proxy). */
class RedisHealthTest {

    @Test
    void upThenDownWhenRedisStops() throws Exception {
        HostAndPort real = RedisServer.address();
        try (TcpProxy proxy = TcpProxy.to(real.getHost(), real.getPort());
                JedisPooled viaProxy = new JedisPooled(
                        new HostAndPort("127.0.0.1", proxy.port()),
                        DefaultJedisClientConfig.builder()
                                .connectionTimeoutMillis(1_000)
                                .socketTimeoutMillis(1_000)
                                .build());
                RedisUploadStore store = RedisUploadStore.builder(viaProxy)
                        .keyPrefix(RedisServer.uniquePrefix())
                        .build()) {
            Health up = store.checkHealth();
            assertThat(up.isUp()).as(up.toString()).isTrue();
            proxy.stop();
            Health down = store.checkHealth();
            assertThat(down.status()).isEqualTo(Health.Status.DOWN);
            assertThat((String) down.details().get("error")).startsWith("Redis is not reachable");
        }
    }
}
