/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.torrin.core.AppendRequest;
import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.UploadLock;
import io.torrin.testkit.MutableClock;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A scripted sequence of uploads (a success by chunks, a success by appends, a chunk hash mismatch, an abort, an
 * expiry, a lock timeout) against a real service, and the values every meter has afterwards, read from a simple
 * registry and from a Prometheus scrape.
 */
class TorrinMetricsTest {

    private static final int CHUNK = 256 * 1024;

    @Test
    void meterValuesAfterAScriptedSequenceMatchWhatHappened() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Script script = runScript(registry, TorrinMetrics::of);

        assertThat(count(registry, TorrinMeters.UPLOADS_CREATED, "protocol", "api"))
                .isEqualTo(4);
        assertThat(count(registry, TorrinMeters.UPLOADS_CREATED, "protocol", "tus"))
                .isEqualTo(1);
        assertThat(count(registry, TorrinMeters.UPLOADS_COMPLETED, "protocol", "api"))
                .isEqualTo(1);
        assertThat(count(registry, TorrinMeters.UPLOADS_COMPLETED, "protocol", "tus"))
                .isEqualTo(1);
        assertThat(count(registry, TorrinMeters.UPLOADS_ABORTED, "protocol", "api"))
                .isEqualTo(1);
        // the upload with the rejected chunk and the one left after a chunk are both unfinished when the sweep runs
        assertThat(count(registry, TorrinMeters.UPLOADS_EXPIRED, "protocol", "none"))
                .isEqualTo(2);
        assertThat(registry.get(TorrinMeters.UPLOADS_CREATED)
                        .tag("storage", "memory")
                        .counters())
                .isNotEmpty();

        // bytes: the chunked file, the appended file, one chunk of the aborted upload, one of the expired one
        long expectedBytes = script.chunkedSize + script.appendedSize + 2L * CHUNK;
        assertThat(registry.get(TorrinMeters.BYTES_RECEIVED).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .isEqualTo(expectedBytes);
        assertThat(count(registry, TorrinMeters.BYTES_RECEIVED, "protocol", "tus"))
                .isEqualTo(script.appendedSize);

        // operations: chunks of the success (3) + the aborted and expired uploads' one each + the mismatch, which
        // failed
        assertThat(timerCount(registry, "chunk", "success")).isEqualTo(5);
        assertThat(registry.get(TorrinMeters.OPERATION)
                        .tags("operation", "chunk", "outcome", "error", "error", "CHUNK_HASH_MISMATCH")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(timerCount(registry, "append", "success")).isEqualTo(2);
        assertThat(timerCount(registry, "complete", "success")).isEqualTo(1);
        assertThat(timerCount(registry, "abort", "success")).isEqualTo(1);
        assertThat(registry.get(TorrinMeters.OPERATION)
                        .tags("operation", "complete", "error", "UPLOAD_LOCKED")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(count(registry, TorrinMeters.ERRORS, "code", "CHUNK_HASH_MISMATCH"))
                .isEqualTo(1);
        assertThat(count(registry, TorrinMeters.ERRORS, "code", "UPLOAD_LOCKED"))
                .isEqualTo(1);

        // the lock timeout: one exclusive wait that timed out after the configured 150 ms
        var timeouts = registry.get(TorrinMeters.LOCK_WAIT)
                .tags("mode", "exclusive", "outcome", "timeout")
                .timer();
        assertThat(timeouts.count()).isEqualTo(1);
        assertThat(timeouts.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(150);
        assertThat(count(registry, TorrinMeters.LOCK_TIMEOUTS, "mode", "exclusive"))
                .isEqualTo(1);
        assertThat(registry.get(TorrinMeters.LOCK_WAIT)
                        .tags("mode", "shared", "outcome", "acquired")
                        .timer()
                        .count())
                .isEqualTo(6);

        // the sweep removed the expired upload; the store and storage calls were timed by method
        assertThat(registry.get(TorrinMeters.SWEEPS).timer().count()).isEqualTo(1);
        assertThat(registry.get(TorrinMeters.SWEEP_REMOVED).counter().count()).isEqualTo(2);
        assertThat(registry.get(TorrinMeters.STORAGE_OPERATION)
                        .tags("storage", "memory", "operation", "writeChunk", "outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(6); // the mismatching chunk was written, then rejected by its hash
        assertThat(registry.get(TorrinMeters.STORAGE_OPERATION)
                        .tags("operation", "writeChunk", "outcome", "error")
                        .timer()
                        .count())
                .isZero();
        assertThat(registry.get(TorrinMeters.STORE_OPERATION)
                        .tags("store", "memory", "operation", "markChunkReceived", "outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(5);
        assertThat(registry.get(TorrinMeters.UPLOADS_IN_FLIGHT).gauge().value()).isZero();

        // what was stored is what was sent
        assertThat(script.storedSha256).isEqualTo(script.sentSha256);
        assertThat(script.appendedStoredSha256).isEqualTo(script.appendedSentSha256);
    }

    @Test
    void prometheusScrapeShowsTheMetersWithBaseUnitsAndHistograms() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Script script = runScript(registry, TorrinMetrics::of);
        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("torrin_uploads_initiated_total{protocol=\"api\",storage=\"memory\"} 4.0")
                .contains("torrin_uploads_completed_total{protocol=\"tus\",storage=\"memory\"} 1.0")
                .contains("torrin_uploads_expired_total{protocol=\"none\",storage=\"memory\"} 2.0")
                .contains("torrin_upload_received_bytes_total{protocol=\"tus\",storage=\"memory\"} "
                        + (double) script.appendedSize)
                .contains("torrin_errors_total{code=\"UPLOAD_LOCKED\",operation=\"complete\",protocol=\"api\"} 1.0")
                .contains("torrin_lock_timeouts_total{mode=\"exclusive\"} 1.0")
                .contains("torrin_sweep_removed_total 2.0")
                .contains("torrin_uploads_in_flight 0.0")
                .contains("torrin_operation_seconds_bucket{error=\"none\",operation=\"chunk\",outcome=\"success\","
                        + "protocol=\"api\",storage=\"memory\",le=\"+Inf\"} 5")
                .contains("torrin_lock_wait_seconds_bucket{")
                .contains("torrin_storage_operation_seconds_count{operation=\"writeChunk\",outcome=\"success\","
                        + "storage=\"memory\"} 6")
                .contains(
                        "torrin_store_operation_seconds_count{operation=\"create\",outcome=\"success\",store=\"memory\"} 5")
                .doesNotContain(script.chunkedUploadId);
    }

    @Test
    void observationsGiveOneCompletedObservationPerOperationWithTheUploadIdAsHighCardinalityKey() throws Exception {
        TestObservationRegistry observations = TestObservationRegistry.create();
        Script script = runScript(
                new SimpleMeterRegistry(),
                registry -> TorrinMetrics.builder(registry)
                        .observationRegistry(observations)
                        .build());

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(TorrinMeters.OBSERVATION, script.operations)
                .doesNotHaveAnyRemainingCurrentObservation()
                .hasAnObservation(o -> o.hasNameEqualTo(TorrinMeters.OBSERVATION)
                        .hasContextualNameEqualTo("torrin complete")
                        .hasLowCardinalityKeyValue("torrin.operation", "complete")
                        .hasLowCardinalityKeyValue("torrin.protocol", "api")
                        .hasHighCardinalityKeyValue("torrin.upload.id", script.chunkedUploadId)
                        .doesNotHaveError())
                .hasAnObservation(o -> o.hasContextualNameEqualTo("torrin init")
                        .hasHighCardinalityKeyValue("torrin.upload.id", script.chunkedUploadId))
                .hasAnObservation(o -> o.hasContextualNameEqualTo("torrin chunk")
                        .hasError()
                        .assertThatError()
                        .isInstanceOf(TorrinException.class));
    }

    @Test
    void commonTagsGoOnEveryMeter() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runScript(
                registry,
                r -> TorrinMetrics.builder(r)
                        .tags(Tags.of("service", "avatars"))
                        .build());
        assertThat(registry.getMeters())
                .isNotEmpty()
                .allSatisfy(meter -> assertThat(meter.getId().getTag("service")).isEqualTo("avatars"));
    }

    @Test
    void wrappedStorageKeepsItsCapabilities() {
        TorrinMetrics metrics = TorrinMetrics.of(new SimpleMeterRegistry());
        var wrapped = metrics.instrumentStorage(InMemoryStorageDriver.create());
        assertThat(wrapped).isInstanceOf(AppendableStorage.class).isInstanceOf(ReadableStorage.class);
        assertThat(wrapped.kind()).isEqualTo("memory");
        assertThat(metrics.instrumentStore(InMemoryUploadStore.create()).kind()).isEqualTo("memory");
    }

    /** What the script did, to compare with the meters. */
    record Script(
            String chunkedUploadId,
            long chunkedSize,
            long appendedSize,
            String sentSha256,
            String storedSha256,
            String appendedSentSha256,
            String appendedStoredSha256,
            int operations) {}

    static Script runScript(MeterRegistry registry, Function<MeterRegistry, TorrinMetrics> metrics) throws Exception {
        MutableClock clock = MutableClock.at(Instant.parse("2026-12-02T10:00:00Z"));
        InMemoryStorageDriver storage = InMemoryStorageDriver.create();
        InMemoryUploadStore store = InMemoryUploadStore.create();
        int operations = 0;
        try (UploadService service = UploadService.builder()
                .storage(storage)
                .store(store)
                .defaultChunkSize(CHUNK)
                .chunkSizeLimits(CHUNK, CHUNK)
                .lockTimeout(Duration.ofMillis(150))
                .sweepInterval(Duration.ZERO)
                .uploadTtl(Duration.ofHours(1))
                .clock(clock)
                .instrumentation(metrics.apply(registry))
                .build()) {
            // 1. a chunked upload of 2.5 chunks that succeeds
            byte[] file = TestFiles.randomBytes(CHUNK * 2 + CHUNK / 2);
            UploadSession chunked = service.initUpload(init(file.length));
            operations++;
            for (int i = 0; i < chunked.totalChunks(); i++) {
                byte[] chunk = TestFiles.chunk(file, CHUNK, i);
                service.handleChunk(
                        ChunkRequest.of(chunked.uploadId(), i, chunk.length, new ByteArrayInputStream(chunk)));
                operations++;
            }
            // 2. a chunk whose hash does not match: rejected, not counted as received
            UploadSession mismatch = service.initUpload(init(CHUNK));
            operations++;
            byte[] wrong = TestFiles.randomBytes(CHUNK);
            assertThatThrownBy(() -> service.handleChunk(ChunkRequest.of(
                            mismatch.uploadId(),
                            0,
                            CHUNK,
                            new ByteArrayInputStream(wrong),
                            TestFiles.sha256(TestFiles.randomBytes(16)))))
                    .isInstanceOf(TorrinException.class)
                    .extracting(e -> ((TorrinException) e).code())
                    .isEqualTo(ErrorCode.CHUNK_HASH_MISMATCH);
            operations++;
            // 3. a lock timeout: another holder keeps the upload while complete waits 150 ms
            AtomicReference<CompleteResult> completed = new AtomicReference<>();
            try (UploadLock held =
                    store.locks().acquire(chunked.uploadId(), LockMode.EXCLUSIVE, Duration.ofSeconds(1))) {
                assertThatThrownBy(() -> service.completeUpload(chunked.uploadId()))
                        .isInstanceOf(TorrinException.class)
                        .extracting(e -> ((TorrinException) e).code())
                        .isEqualTo(ErrorCode.UPLOAD_LOCKED);
                operations++;
            }
            completed.set(service.completeUpload(chunked.uploadId(), TestFiles.sha256(file)));
            operations++;
            String stored;
            try (InputStream in = storage.open(completed.get().location())) {
                stored = TestFiles.sha256(in);
            }
            // 4. an upload aborted after one chunk
            UploadSession aborted = service.initUpload(init(CHUNK * 2));
            operations++;
            byte[] first = TestFiles.randomBytes(CHUNK);
            service.handleChunk(ChunkRequest.of(aborted.uploadId(), 0, CHUNK, new ByteArrayInputStream(first)));
            operations++;
            service.abortUpload(aborted.uploadId());
            operations++;
            // 5. an upload that expires after one chunk
            UploadSession expiring = service.initUpload(init(CHUNK * 2));
            operations++;
            service.handleChunk(ChunkRequest.of(
                    expiring.uploadId(), 0, CHUNK, new ByteArrayInputStream(TestFiles.randomBytes(CHUNK))));
            operations++;
            // 6. an append upload by tus in two appends
            RequestContext tus =
                    new RequestContext(Optional.empty(), Map.of(), Map.of(RequestContext.PROTOCOL_ATTRIBUTE, "tus"));
            byte[] appended = TestFiles.randomBytes(CHUNK + 1234);
            var appendUpload = service.appends()
                    .initUpload(
                            InitUploadRequest.builder()
                                    .fileSize(appended.length)
                                    .build(),
                            Map.of(),
                            tus);
            operations++;
            int half = appended.length / 2;
            service.appends()
                    .append(
                            AppendRequest.of(
                                    appendUpload.uploadId(), 0, half, new ByteArrayInputStream(appended, 0, half)),
                            tus);
            operations++;
            var done = service.appends()
                    .append(
                            AppendRequest.of(
                                    appendUpload.uploadId(),
                                    half,
                                    appended.length - half,
                                    new ByteArrayInputStream(appended, half, appended.length - half)),
                            tus);
            operations++;
            String appendedStored;
            try (InputStream in = storage.open(done.location().orElseThrow())) {
                appendedStored = TestFiles.sha256(in);
            }
            // the sweep, two hours later, removes the two unfinished uploads (finished ones are kept for a day)
            clock.advance(Duration.ofHours(2));
            assertThat(service.sweepExpired()).isEqualTo(2);
            return new Script(
                    chunked.uploadId(),
                    file.length,
                    appended.length,
                    TestFiles.sha256(file),
                    stored,
                    TestFiles.sha256(appended),
                    appendedStored,
                    operations);
        }
    }

    private static InitUploadRequest init(long size) {
        return InitUploadRequest.builder().fileName("f.bin").fileSize(size).build();
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static long timerCount(MeterRegistry registry, String operation, String outcome) {
        return registry.get(TorrinMeters.OPERATION).tags("operation", operation, "outcome", outcome).timers().stream()
                .mapToLong(t -> t.count())
                .sum();
    }
}
