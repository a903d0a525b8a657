/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.torrin.core.ChunkRequest;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.store.jdbc.JdbcUploadStore;
import io.torrin.store.redis.RedisUploadStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import redis.clients.jedis.JedisPooled;

/**
 * Chunk-marking cost per store: {@code markChunkReceived} throughput and latency (p50, p99) with 1, 8 and 32
 * concurrent writers marking distinct chunks of one upload, next to the time one 1 MiB chunk takes through the
 * service on local disk with fsync per chunk, measured in the same run. The target: a store's mark costs at most
 * 10% of that chunk time. Two views of that cost: a writer's p50 latency (which at 8 and 32 writers on one upload
 * includes waiting for the others, as a chunk at that concurrency would), and the machine time per mark, the inverse
 * of the throughput (what a mark adds to the time of the whole upload).
 *
 * <p>Options: {@code --marks 3200 --postgres jdbc:postgresql://127.0.0.1:5432/test --postgres-user postgres
 * --mariadb jdbc:mariadb://127.0.0.1:3306/test --mariadb-user root --redis redis://127.0.0.1:6379}; a store whose
 * server is unreachable is reported as skipped.
 */
public final class StoreBenchmark {

    private StoreBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the options
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        int marks = (int) Stats.option(args, "--marks", 3200);
        double chunkMillis = oneMebibyteChunkMillis();
        System.out.printf(
                Locale.ROOT,
                "stores: %d marks per run; one 1 MiB chunk on local disk (fsync per chunk): "
                        + "%.2f ms (median of 40)%n%n",
                marks,
                chunkMillis);
        Path fileStore = Files.createTempDirectory("torrin-bench-store");
        String prefix = "bench_" + Long.toHexString(System.nanoTime()) + "_";
        Map<String, Supplier<UploadStore>> stores = new LinkedHashMap<>();
        stores.put("in-memory", InMemoryUploadStore::create);
        stores.put("file (fsync)", () -> FileUploadStore.create(fileStore.resolve(UploadIds.generate())));
        HikariDataSource postgres = pool(
                Stats.stringOption(args, "--postgres", "jdbc:postgresql://127.0.0.1:5432/test"),
                Stats.stringOption(args, "--postgres-user", "postgres"));
        HikariDataSource mariadb = pool(
                Stats.stringOption(args, "--mariadb", "jdbc:mariadb://127.0.0.1:3306/test"),
                Stats.stringOption(args, "--mariadb-user", "root"));
        JedisPooled redis = new JedisPooled(URI.create(Stats.stringOption(args, "--redis", "redis://127.0.0.1:6379")));
        if (postgres != null) {
            stores.put(
                    "jdbc PostgreSQL",
                    () -> JdbcUploadStore.builder(postgres)
                            .tablePrefix(prefix)
                            .createSchema(true)
                            .build());
        }
        if (mariadb != null) {
            stores.put(
                    "jdbc MariaDB",
                    () -> JdbcUploadStore.builder(mariadb)
                            .tablePrefix(prefix)
                            .createSchema(true)
                            .build());
        }
        try {
            redis.ping();
            stores.put(
                    "Redis",
                    () -> RedisUploadStore.builder(redis)
                            .keyPrefix(prefix + ":")
                            .build());
        } catch (RuntimeException e) {
            System.out.println("Redis skipped: " + e.getMessage());
        }

        System.out.println("| store | writers | marks/s | p50 (ms) | p99 (ms) | p50 / 1 MiB chunk | p99 / 1 MiB chunk"
                + " | time per mark (1 / rate) / 1 MiB chunk |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Supplier<UploadStore>> entry : stores.entrySet()) {
            for (int writers : new int[] {1, 8, 32}) {
                try (UploadStore store = entry.getValue().get()) {
                    double[] result = run(store, marks, writers);
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d | %.0f | %.3f | %.3f | %.1f%% | %.1f%% | %.1f%% |%n",
                            entry.getKey(),
                            writers,
                            result[0],
                            result[1],
                            result[2],
                            100 * result[1] / chunkMillis,
                            100 * result[2] / chunkMillis,
                            100 * (1000 / result[0]) / chunkMillis);
                }
            }
        }
        for (HikariDataSource pool : new HikariDataSource[] {postgres, mariadb}) {
            if (pool != null) {
                try (Connection c = pool.getConnection();
                        Statement s = c.createStatement()) {
                    for (String table : new String[] {"upload", "lock", "lock_head"}) {
                        s.execute("DROP TABLE IF EXISTS " + prefix + table);
                    }
                }
                pool.close();
            }
        }
        redis.close();
    }

    private static double[] run(UploadStore store, int marks, int writers) throws Exception {
        Instant now = Instant.now();
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.empty(),
                OptionalLong.of(marks * 1024L),
                "a/b",
                Map.of(),
                1024,
                marks,
                UploadState.PENDING,
                now,
                now.plusSeconds(3600));
        store.create(UploadRecord.created(session, Map.of()));
        long[] latencies = new long[marks];
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < marks; i += writers) {
                        long t0 = System.nanoTime();
                        store.markChunkReceived(session.uploadId(), i, now.plusSeconds(7200));
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        store.delete(session.uploadId());
        Arrays.sort(latencies);
        return new double[] {marks / seconds, latencies[marks / 2] / 1e6, latencies[(int) (marks * 0.99)] / 1e6};
    }

    private static double oneMebibyteChunkMillis() throws Exception {
        Path base = Files.createTempDirectory("torrin-bench-chunk");
        byte[] chunk = new byte[1024 * 1024];
        new SplittableRandom(3).nextBytes(chunk);
        int chunks = 40;
        List<Double> times = new ArrayList<>();
        try (UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(base))
                .store(InMemoryUploadStore.create())
                .sweepInterval(Duration.ZERO)
                .build()) {
            UploadSession session = service.initUpload(InitUploadRequest.builder()
                    .fileSize(chunks * (long) chunk.length)
                    .desiredChunkSize(chunk.length)
                    .build());
            for (int i = 0; i < chunks; i++) {
                long t0 = System.nanoTime();
                service.handleChunk(
                        ChunkRequest.of(session.uploadId(), i, chunk.length, new ByteArrayInputStream(chunk)));
                times.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return Stats.median(times);
    }

    private static HikariDataSource pool(String url, String user) {
        try {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword("");
            config.setMaximumPoolSize(40);
            config.setInitializationFailTimeout(3000);
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            System.out.println(url + " skipped: " + e.getMessage());
            return null;
        }
    }
}
