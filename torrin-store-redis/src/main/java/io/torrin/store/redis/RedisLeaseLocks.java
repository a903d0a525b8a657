/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.support.LeaseLocks;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Lease locks in Redis: one hash per lock name, field = owner token, value = {@code <mode>:<expiry millis>}
 * ({@code S} shared, {@code X} exclusive, {@code W} a waiting writer). Every decision is one Lua script, so it is
 * atomic across instances; the hash itself expires two leases after its last change. Thread-safe.
 */
final class RedisLeaseLocks extends LeaseLocks {

    private static final String ACQUIRE = """
            local entries = redis.call('HGETALL', KEYS[1])
            local now = tonumber(ARGV[4])
            local blocksShared, blocksExclusive = false, false
            for i = 1, #entries, 2 do
              local owner, value = entries[i], entries[i + 1]
              local mode, expiry = string.sub(value, 1, 1), tonumber(string.sub(value, 3))
              if expiry < now then
                redis.call('HDEL', KEYS[1], owner)
              elseif owner ~= ARGV[1] then
                if mode == 'X' or mode == 'W' then blocksShared = true end
                if mode == 'X' or mode == 'S' then blocksExclusive = true end
              end
            end
            local granted
            if ARGV[2] == 'S' then granted = not blocksShared else granted = not blocksExclusive end
            if not granted and ARGV[2] == 'S' then return 0 end
            local mode = ARGV[2]
            if not granted then mode = 'W' end
            redis.call('HSET', KEYS[1], ARGV[1], mode .. ':' .. ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            if granted then return 1 end
            return 0
            """;
    private static final String RENEW = """
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if not value then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], string.sub(value, 1, 1) .. ':' .. ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    private final UnifiedJedis redis;
    private final String prefix;
    private final String keepAlive;

    RedisLeaseLocks(UnifiedJedis redis, String keyPrefix, Duration lease) {
        super(lease);
        this.redis = redis;
        this.prefix = keyPrefix + "lock:";
        this.keepAlive = Long.toString(lease.toMillis() * 2);
    }

    @Override
    protected boolean tryAcquire(String key, String owner, LockMode mode, long expiresAtMillis, long nowMillis) {
        Object granted = redis.eval(
                ACQUIRE,
                List.of(prefix + key),
                List.of(
                        owner,
                        mode == LockMode.SHARED ? "S" : "X",
                        Long.toString(expiresAtMillis),
                        Long.toString(nowMillis),
                        keepAlive));
        return Long.valueOf(1).equals(granted);
    }

    @Override
    protected boolean renew(String key, String owner, long expiresAtMillis) {
        return Long.valueOf(1)
                .equals(redis.eval(
                        RENEW, List.of(prefix + key), List.of(owner, Long.toString(expiresAtMillis), keepAlive)));
    }

    @Override
    protected void release(String key, String owner) {
        redis.hdel(prefix + key, owner);
    }
}
