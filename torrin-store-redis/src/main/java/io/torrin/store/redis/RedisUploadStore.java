/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.AbstractUploadStore;
import io.torrin.server.spi.support.GroupCommit;
import io.torrin.server.spi.support.UploadRecordCodec;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * An {@link UploadStore} on Redis, with cross-instance lease locks: for several application instances that share a
 * Redis.
 *
 * <p>Per upload a hash {@code <prefix>upload:<id>} (the session document, state, expiry, chunk count, location)
 * and a bitmap {@code <prefix>chunks:<id>} ({@code SETBIT}); a sorted set {@code <prefix>expiry} indexes expiries
 * for the sweep. Every change that touches more than one field is a Lua script, so marking a chunk, extending the
 * expiry and moving the state are one atomic step for any number of instances. Both keys carry a Redis TTL of
 * the upload's expiry plus a safety margin (7 days by default): the sweep removes uploads normally (and aborts
 * their storage first), the TTL only cleans up after a deployment that stopped sweeping.
 *
 * <p>Concurrent chunk marks share round trips ({@link GroupCommit}): a mark made while no other is in flight is one
 * {@code EVAL}, as alone; the marks that arrive meanwhile, of any upload, are sent together in one pipeline (each
 * still its own atomic script call, {@code EVALSHA} of the script, {@code EVAL} again after a {@code NOSCRIPT}) and
 * each returns once Redis replied for it, with its own result or error. One mark round trip is in flight per store
 * at a time, so a slow reply delays the marks queued behind it; {@link Builder#markPipeline} bounds the pipeline or
 * turns it off.
 *
 * <p>Durability is Redis's: configure AOF ({@code appendonly yes}) if acknowledged chunks must survive a Redis
 * restart. The store never closes the given client. Thread-safe.
 *
 * <pre>{@code
 * RedisUploadStore store = RedisUploadStore.builder(new JedisPooled("redis.internal", 6379)).build();
 * }</pre>
 */
public final class RedisUploadStore extends AbstractUploadStore implements HealthCheck {

    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[1], 'record', ARGV[2], 'state', ARGV[3], 'expires', ARGV[4], 'total', ARGV[5])
            if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'location', ARGV[7]) end
            redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[4]) + tonumber(ARGV[6]))
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            return 1
            """;
    private static final String MARK = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return -1 end
            if state ~= 'pending' and state ~= 'in_progress' then return state end
            local index = tonumber(ARGV[2])
            if index < 0 or index >= tonumber(redis.call('HGET', KEYS[1], 'total')) then return -2 end
            if redis.call('SETBIT', KEYS[2], index, 1) == 1 then return 0 end
            local expires = tonumber(redis.call('HGET', KEYS[1], 'expires'))
            if tonumber(ARGV[3]) > expires then
              expires = tonumber(ARGV[3])
              redis.call('HSET', KEYS[1], 'expires', ARGV[3])
              redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
            end
            redis.call('HSET', KEYS[1], 'state', 'in_progress')
            redis.call('PEXPIREAT', KEYS[1], expires + tonumber(ARGV[4]))
            redis.call('PEXPIREAT', KEYS[2], expires + tonumber(ARGV[4]))
            return 1
            """;
    private static final String MARK_SHA = sha1(MARK);
    private static final String TRANSITION = """
            if redis.call('HGET', KEYS[1], 'state') ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], 'state', ARGV[3], 'expires', ARGV[4])
            if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'location', ARGV[5]) end
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[4]) + tonumber(ARGV[6]))
            if redis.call('EXISTS', KEYS[2]) == 1 then
              redis.call('PEXPIREAT', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[6]))
            end
            return 1
            """;
    private static final String ADVANCE = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return -1 end
            if state ~= 'pending' and state ~= 'in_progress' then return 0 end
            if redis.call('HGET', KEYS[1], 'record') ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], 'record', ARGV[3], 'state', 'in_progress', 'expires', ARGV[4], 'total', ARGV[5])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[4]) + tonumber(ARGV[6]))
            return 1
            """;
    private static final String READ = """
            return {redis.call('HMGET', KEYS[1], 'record', 'state', 'expires', 'total', 'location'),
                    redis.call('GET', KEYS[2])}
            """;
    private static final String DELETE = """
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('DEL', KEYS[2])
            return redis.call('DEL', KEYS[1])
            """;

    private final UnifiedJedis redis;
    private final String prefix;
    private final String safetyMillis;
    private final RedisLeaseLocks locks;
    // null when marks are not pipelined (markPipeline(1))
    private final GroupCommit<Mark, Boolean> marks;

    private RedisUploadStore(Builder builder) {
        this.redis = builder.redis;
        this.prefix = builder.keyPrefix;
        this.safetyMillis = Long.toString(builder.ttlMargin.toMillis());
        this.locks = new RedisLeaseLocks(redis, prefix, builder.lockLease);
        this.marks = builder.markPipeline == 1 ? null : new GroupCommit<>(this::commitMarks, builder.markPipeline);
    }

    /**
     * Starts a builder.
     *
     * @param redis the client (for example {@code JedisPooled}), not null; never closed by the store
     * @return a new builder
     */
    public static Builder builder(UnifiedJedis redis) {
        return new Builder(redis);
    }

    @Override
    protected void doCreate(UploadRecord record) {
        String id = record.uploadId();
        Object created = call(
                "save upload " + id,
                () -> redis.eval(
                        CREATE,
                        keys(id),
                        List.of(
                                id,
                                new String(UploadRecordCodec.encode(record), StandardCharsets.UTF_8),
                                record.session().state().wireName(),
                                Long.toString(record.session().expiresAt().toEpochMilli()),
                                Integer.toString(record.session().totalChunks()),
                                safetyMillis,
                                record.location()
                                        .map(UploadRecordCodec::encodeLocation)
                                        .orElse(""))));
        if (!Long.valueOf(1).equals(created)) {
            throw new IllegalStateException("upload exists: " + id);
        }
        if (UploadStores.chunkBitmap(record).count() > 0) {
            for (int index : UploadStores.chunkBitmap(record).received()) {
                call("save upload " + id, () -> redis.setbit(prefix + "chunks:" + id, index, true));
            }
        }
    }

    @Override
    protected Optional<UploadRecord> doFind(String uploadId) {
        return call("read upload " + uploadId, () -> read(uploadId));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Pipelined with concurrent marks (see the class description) unless {@link Builder#markPipeline} is 1.
     * Returns only once Redis replied for this mark; a mark whose reply did not arrive (the connection failed)
     * fails with {@link ErrorCode#STORAGE_ERROR}, and may or may not have been recorded.
     */
    @Override
    protected boolean doMarkChunkReceived(String uploadId, int index, Instant expiresAt) {
        Mark mark = new Mark(uploadId, index, expiresAt);
        return marks == null ? markAlone(mark) : marks.submit(mark);
    }

    /** One chunk mark waiting for its round trip. */
    private record Mark(String uploadId, int index, Instant expiresAt) {
        String action() {
            return "record chunk " + index + " of upload " + uploadId;
        }
    }

    private List<String> markArguments(Mark mark) {
        return List.of(
                mark.uploadId(),
                Integer.toString(mark.index()),
                Long.toString(mark.expiresAt().toEpochMilli()),
                safetyMillis);
    }

    /** One mark, one {@code EVAL}: what a lone mark costs. */
    private boolean markAlone(Mark mark) {
        return markOutcome(
                mark, call(mark.action(), () -> redis.eval(MARK, keys(mark.uploadId()), markArguments(mark))));
    }

    /** Turns the script's reply into the mark's result or exception. */
    private static boolean markOutcome(Mark mark, Object result) {
        if (result instanceof Long code) {
            if (code == -1) {
                throw UploadStores.notFound(mark.uploadId());
            }
            if (code == -2) {
                throw new IllegalArgumentException(
                        "index " + mark.index() + " is out of range for upload " + mark.uploadId());
            }
            return code == 1;
        }
        UploadStores.requireActive(mark.uploadId(), UploadState.fromWireName(text(result)));
        throw new IllegalStateException("unexpected state " + text(result));
    }

    /** The group commit's committer: a lone mark as it would be alone, several in one pipeline. */
    private void commitMarks(GroupCommit.Batch<Mark, Boolean> batch) {
        if (batch.size() == 1) {
            batch.decide(0, () -> markAlone(batch.items().get(0)));
            return;
        }
        List<Integer> all = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            all.add(i);
        }
        List<Integer> unknownScript = pipeline(batch, all, true);
        if (!unknownScript.isEmpty()) {
            // the script cache was flushed (a restart, a failover, SCRIPT FLUSH): those marks did not run
            pipeline(batch, unknownScript, false);
        }
    }

    /**
     * Sends the given marks of the batch in one pipeline and decides each from its reply.
     *
     * @return the marks that got {@code NOSCRIPT} (only with {@code bySha}), still undecided
     */
    private List<Integer> pipeline(GroupCommit.Batch<Mark, Boolean> batch, List<Integer> which, boolean bySha) {
        AbstractPipeline pipeline;
        try {
            pipeline = redis.pipelined();
        } catch (IllegalStateException notPipelining) {
            // a client without a connection provider (built on a command executor) cannot pipeline
            for (int i : which) {
                batch.decide(i, () -> markAlone(batch.items().get(i)));
            }
            return List.of();
        } catch (JedisException e) {
            batch.failOpen(i -> storageError(batch.items().get(i).action(), e));
            return List.of();
        }
        List<Integer> unknownScript = new ArrayList<>();
        try (pipeline) {
            List<Response<Object>> replies = new ArrayList<>(which.size());
            for (int i : which) {
                Mark mark = batch.items().get(i);
                replies.add(
                        bySha
                                ? pipeline.evalsha(MARK_SHA, keys(mark.uploadId()), markArguments(mark))
                                : pipeline.eval(MARK, keys(mark.uploadId()), markArguments(mark)));
            }
            pipeline.sync();
            for (int k = 0; k < which.size(); k++) {
                int i = which.get(k);
                Mark mark = batch.items().get(i);
                Object reply;
                try {
                    reply = replies.get(k).get();
                } catch (JedisNoScriptException e) {
                    if (bySha) {
                        unknownScript.add(i);
                    } else {
                        batch.fail(i, storageError(mark.action(), e));
                    }
                    continue;
                } catch (JedisException e) {
                    batch.fail(i, storageError(mark.action(), e));
                    continue;
                }
                batch.decide(i, () -> markOutcome(mark, reply));
            }
        } catch (JedisException e) {
            // the pipeline failed as a whole (the connection): no mark without an outcome got its reply
            batch.failOpen(i -> storageError(batch.items().get(i).action(), e));
            return List.of();
        }
        return unknownScript;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Computes the new record document from the stored one and swaps it in with a Lua script only if the
     * stored document is still the one read (the upload lock normally makes the first attempt succeed).
     */
    @Override
    protected boolean doAdvanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        while (true) {
            Stored stored = call("read upload " + uploadId, () -> readStored(uploadId))
                    .orElseThrow(() -> UploadStores.notFound(uploadId));
            Optional<UploadRecord> next =
                    UploadStores.advance(stored.record(), expectedOffset, newOffset, fileSize, expiresAt);
            if (next.isEmpty()) {
                return false;
            }
            UploadSession session = next.get().session();
            Object result = call(
                    "record the offset of upload " + uploadId,
                    () -> redis.eval(
                            ADVANCE,
                            keys(uploadId),
                            List.of(
                                    uploadId,
                                    stored.document(),
                                    new String(UploadRecordCodec.encode(next.get()), StandardCharsets.UTF_8),
                                    Long.toString(session.expiresAt().toEpochMilli()),
                                    Integer.toString(session.totalChunks()),
                                    safetyMillis)));
            if (Long.valueOf(-1).equals(result)) {
                throw UploadStores.notFound(uploadId);
            }
            if (Long.valueOf(1).equals(result)) {
                return true;
            }
        }
    }

    @Override
    protected boolean doTransition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location) {
        return Long.valueOf(1)
                .equals(call(
                        "update upload " + uploadId,
                        () -> redis.eval(
                                TRANSITION,
                                keys(uploadId),
                                List.of(
                                        uploadId,
                                        expected.wireName(),
                                        next.wireName(),
                                        Long.toString(expiresAt.toEpochMilli()),
                                        location.map(UploadRecordCodec::encodeLocation)
                                                .orElse(""),
                                        safetyMillis))));
    }

    @Override
    protected boolean doDelete(String uploadId) {
        return Long.valueOf(1)
                .equals(call("delete upload " + uploadId, () -> redis.eval(DELETE, keys(uploadId), List.of(uploadId))));
    }

    @Override
    protected List<UploadRecord> doFindExpired(Instant now, int limit) {
        return call("find expired uploads", () -> {
            List<UploadRecord> records = new ArrayList<>();
            for (String id : redis.zrangeByScore(
                    prefix + "expiry", Double.NEGATIVE_INFINITY, (double) now.toEpochMilli(), 0, limit)) {
                Optional<UploadRecord> record = read(id);
                if (record.isPresent()) {
                    records.add(record.get());
                } else {
                    redis.zrem(prefix + "expiry", id);
                }
            }
            return records;
        });
    }

    @Override
    public UploadLocks locks() {
        return locks;
    }

    /** Stops renewing lock leases. Does not close the Redis client. Idempotent. */
    @Override
    protected void doClose() {
        locks.close();
    }

    private Optional<UploadRecord> read(String uploadId) {
        return readStored(uploadId).map(Stored::record);
    }

    /** A record with the document it was read from, for compare-and-swap. */
    private record Stored(String document, UploadRecord record) {}

    private Optional<Stored> readStored(String uploadId) {
        List<byte[]> binaryKeys = keys(uploadId).stream()
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
        List<?> reply = (List<?>) redis.eval(READ.getBytes(StandardCharsets.UTF_8), binaryKeys, List.of());
        List<?> fields = (List<?>) reply.get(0);
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        int total = Integer.parseInt(text(fields.get(3)));
        Object bitmap = reply.size() > 1 ? reply.get(1) : null;
        ChunkSet chunks = ChunkSet.fromByteArray(total, bitmap == null ? new byte[0] : reverseBits(bytes(bitmap)));
        try {
            String document = text(fields.get(0));
            return Optional.of(new Stored(
                    document,
                    UploadStores.assemble(
                            document.getBytes(StandardCharsets.UTF_8),
                            UploadState.fromWireName(text(fields.get(1))),
                            Instant.ofEpochMilli(Long.parseLong(text(fields.get(2)))),
                            chunks,
                            fields.get(4) == null
                                    ? Optional.empty()
                                    : Optional.of(UploadRecordCodec.decodeLocation(text(fields.get(4)))))));
        } catch (IOException e) {
            throw new TorrinException(ErrorCode.STORAGE_ERROR, "unreadable upload record " + uploadId, Map.of(), e);
        }
    }

    /** Redis numbers bits from the most significant bit of each byte; {@link ChunkSet} from the least. */
    private static byte[] reverseBits(byte[] bytes) {
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = (byte) (Integer.reverse(bytes[i] & 0xFF) >>> 24);
        }
        return reversed;
    }

    private List<String> keys(String uploadId) {
        return List.of(prefix + "upload:" + uploadId, prefix + "chunks:" + uploadId, prefix + "expiry");
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] bytes(Object value) {
        return value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static <T> T call(String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (JedisException e) {
            throw storageError(action, e);
        }
    }

    private static TorrinException storageError(String action, JedisException e) {
        return new TorrinException(ErrorCode.STORAGE_ERROR, "the upload store could not " + action, Map.of(), e);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /**
     * Checks that Redis answers a {@code PING}; the client's socket timeout bounds the wait.
     *
     * @return up, or down with the client's error
     */
    @Override
    public Health checkHealth() {
        try {
            String answer = redis.ping();
            return "PONG".equalsIgnoreCase(answer)
                    ? Health.up(Map.of("prefix", prefix))
                    : Health.down("PING answered " + answer, Map.of("prefix", prefix));
        } catch (JedisException e) {
            return Health.down("Redis is not reachable: " + e.getMessage(), Map.of("prefix", prefix));
        }
    }

    /** Builds a {@link RedisUploadStore}. Not thread-safe. */
    public static final class Builder {
        private final UnifiedJedis redis;
        private String keyPrefix = "torrin:";
        private Duration ttlMargin = Duration.ofDays(7);
        private Duration lockLease = Duration.ofSeconds(30);
        private int markPipeline = 64;

        private Builder(UnifiedJedis redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
        }

        /**
         * Sets the prefix of every key. Default {@code torrin:}.
         *
         * @param prefix the prefix, not null
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Sets how long after its expiry Redis drops an upload on its own (if no sweep removed it). Default 7 days.
         *
         * @param margin positive
         * @return this builder
         */
        public Builder ttlMargin(Duration margin) {
            this.ttlMargin = Objects.requireNonNull(margin, "margin");
            return this;
        }

        /**
         * Sets the lease of locks. Default 30 s.
         *
         * @param lease at least one second
         * @return this builder
         */
        public Builder lockLease(Duration lease) {
            this.lockLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Sets the most chunk marks one pipeline carries. Default 64. A mark made while no other is in flight is sent
         * alone; the marks that arrive while one is in flight (of any upload of this store) wait for it and then
         * share one pipeline, one round trip, of up to this many script calls. {@code 1} turns pipelining off: every
         * mark is its own {@code EVAL} on its own pooled connection, concurrently with the others (as many at a
         * time as the client's pool allows).
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max < 1}
         */
        public Builder markPipeline(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("markPipeline must be at least 1: " + max);
            }
            this.markPipeline = max;
            return this;
        }

        /**
         * Builds the store. Makes no request to Redis.
         *
         * @return the store
         */
        public RedisUploadStore build() {
            return new RedisUploadStore(this);
        }
    }
}
