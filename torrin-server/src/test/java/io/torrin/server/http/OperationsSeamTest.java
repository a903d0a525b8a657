/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadInstrumentation;
import io.torrin.server.UploadOperation;
import io.torrin.server.UploadService;
import io.torrin.server.UploadServiceBuilder;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.LockMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seams the operations features use: the protocol and principal on events, instrumentation calls (and that a
 * failing instrumentation changes nothing), progress events, completion hooks' response fields on both protocols,
 * and the graceful shutdown.
 */
class OperationsSeamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 256 * 1024;

    private final InMemoryStorageDriver storage = InMemoryStorageDriver.create();
    private final InMemoryUploadStore store = InMemoryUploadStore.create();
    private final List<UploadEvent> events = new CopyOnWriteArrayList<>();
    private UploadService service;

    private UploadService service(Consumer<UploadServiceBuilder> customizer) {
        UploadServiceBuilder builder = UploadService.builder()
                .storage(storage)
                .store(store)
                .defaultChunkSize(CHUNK)
                .chunkSizeLimits(CHUNK, CHUNK)
                .sweepInterval(Duration.ZERO)
                .lockTimeout(Duration.ofSeconds(2))
                .eventExecutor(Runnable::run)
                .listener(events::add);
        customizer.accept(builder);
        service = builder.build();
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void eventsCarryTheProtocolAndPrincipalOfTheRequestButNoHeaders() throws Exception {
        service(b -> {});
        TorrinProtocolHandler torrin = TorrinProtocolHandler.builder(service).build();
        TusProtocolHandler tus = TusProtocolHandler.builder(service).build();
        HttpResponse created = torrin.handle(FakeRequest.of("POST", "/")
                .json("{\"fileSize\": 10}")
                .header("Authorization", "Bearer secret")
                .principal(() -> "alice"));
        assertThat(created.status()).isEqualTo(201);
        HttpResponse tusCreated = tus.handle(FakeRequest.of("POST", "/")
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "10")
                .principal(() -> "bob"));
        assertThat(tusCreated.status()).isEqualTo(201);
        service.initUpload(InitUploadRequest.builder().fileSize(10).build());

        assertThat(events).hasSize(3).allMatch(e -> e.type() == UploadEvent.Type.CREATED);
        assertThat(events.get(0).protocol()).contains("torrin");
        assertThat(events.get(0).principal().map(p -> p.getName())).contains("alice");
        assertThat(events.get(1).protocol()).contains("tus");
        assertThat(events.get(1).principal().map(p -> p.getName())).contains("bob");
        assertThat(events.get(2).protocol()).isEmpty();
        assertThat(events.get(2).principal()).isEmpty();
        assertThat(events.get(0).toString()).doesNotContain("secret");
    }

    @Test
    void instrumentationSeesEveryOperationItsOutcomeBytesAndLockWaits() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        service(b -> b.instrumentation(new UploadInstrumentation() {
            @Override
            public Trace start(UploadOperation operation, Optional<String> uploadId, RequestContext context) {
                calls.add("start " + operation + " " + uploadId.isPresent() + " "
                        + context.protocol().orElse("api"));
                return new Trace() {
                    @Override
                    public void uploadId(String id) {
                        calls.add("id " + operation);
                    }

                    @Override
                    public void failed(Throwable error) {
                        calls.add("failed " + operation + " " + ((TorrinException) error).code());
                    }

                    @Override
                    public void end() {
                        calls.add("end " + operation);
                    }
                };
            }

            @Override
            public void received(long bytes, RequestContext context) {
                calls.add("received " + bytes);
            }

            @Override
            public void lockWaited(LockMode mode, long waitedNanos, boolean acquired) {
                calls.add("lock " + mode + " " + acquired);
            }

            @Override
            public void event(UploadEvent event) {
                calls.add("event " + event.type());
            }
        }));
        byte[] file = random(CHUNK + 10, 1);
        UploadSession session = service.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build());
        service.handleChunk(ChunkRequest.of(session.uploadId(), 1, 10, new ByteArrayInputStream(file, CHUNK, 10)));
        assertThatThrownBy(() -> service.completeUpload(session.uploadId())).isInstanceOf(TorrinException.class);
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, CHUNK, new ByteArrayInputStream(file, 0, CHUNK)));
        service.completeUpload(session.uploadId(), sha256(file));

        assertThat(calls)
                .containsSubsequence(
                        "start INIT false api",
                        "event CREATED",
                        "id INIT",
                        "end INIT",
                        "start CHUNK true api",
                        "lock SHARED true",
                        "received 10",
                        "event CHUNK_RECEIVED",
                        "end CHUNK",
                        "start COMPLETE true api",
                        "lock EXCLUSIVE true",
                        "failed COMPLETE MISSING_CHUNKS",
                        "end COMPLETE",
                        "received " + CHUNK,
                        "start COMPLETE true api",
                        "event COMPLETED",
                        "end COMPLETE");
        assertThat(calls).filteredOn(call -> call.startsWith("failed")).hasSize(1);
    }

    @Test
    void failingInstrumentationChangesNothing() throws Exception {
        service(b -> b.instrumentation(new UploadInstrumentation() {
            @Override
            public Trace start(UploadOperation operation, Optional<String> uploadId, RequestContext context) {
                return new Trace() {
                    @Override
                    public void end() {
                        throw new IllegalStateException("broken metrics");
                    }
                };
            }

            @Override
            public void received(long bytes, RequestContext context) {
                throw new IllegalStateException("broken metrics");
            }

            @Override
            public void event(UploadEvent event) {
                throw new IllegalStateException("broken metrics");
            }

            @Override
            public void lockWaited(LockMode mode, long waitedNanos, boolean acquired) {
                throw new IllegalStateException("broken metrics");
            }
        }));
        byte[] file = random(CHUNK, 2);
        UploadSession session = service.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build());
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, CHUNK, new ByteArrayInputStream(file)));
        CompleteResult result = service.completeUpload(session.uploadId(), sha256(file));
        try (InputStream in = storage.open(result.location())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(file));
        }
        assertThat(events).extracting(UploadEvent::type).contains(UploadEvent.Type.COMPLETED);
    }

    @Test
    void progressEventsWhenABodyArrivesWithinOneIntervalThenNone() {
        service(b -> {}); // the default interval: one second
        byte[] file = random(CHUNK, 3);
        UploadSession fast = service.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build());
        service.handleChunk(ChunkRequest.of(fast.uploadId(), 0, CHUNK, new ByteArrayInputStream(file)));
        assertThat(events)
                .extracting(UploadEvent::type)
                .containsExactly(UploadEvent.Type.CREATED, UploadEvent.Type.CHUNK_RECEIVED);
    }

    @Test
    void progressEventsArriveThrottledWhileASlowBodyStreams() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        service(b -> b.progressInterval(Duration.ofMillis(20)).listener(e -> {
            if (e.type() == UploadEvent.Type.PROGRESS) {
                arrivals.add(System.nanoTime());
            }
        }));
        byte[] file = random(CHUNK, 3);
        // an append whose body comes in 16 slices, each after a pause longer than the progress interval
        var appends = service.appends();
        var upload = appends.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build(), Map.of(), RequestContext.none());
        long start = System.nanoTime();
        appends.append(
                AppendRequest.of(upload.uploadId(), 0, file.length, new PacedStream(file, 16, Duration.ofMillis(25))),
                RequestContext.none());
        long took = System.nanoTime() - start;
        List<UploadEvent> progress = events.stream()
                .filter(e -> e.type() == UploadEvent.Type.PROGRESS)
                .toList();
        // at least one per pause after the first read, at most one per interval of the time the body took
        assertThat(progress).hasSizeGreaterThanOrEqualTo(15);
        assertThat((long) progress.size())
                .isLessThanOrEqualTo(took / Duration.ofMillis(20).toNanos() + 1);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 1))
                    .as("gap before progress event %d", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(18).toNanos());
        }
        List<Long> offsets = progress.stream().map(e -> e.bytes().getAsLong()).toList();
        assertThat(offsets).isSorted().allMatch(o -> o > 0 && o <= file.length);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(UploadEvent.Type.COMPLETED);
        try (InputStream in = storage.open(appends.getStatus(upload.uploadId(), RequestContext.none())
                .location()
                .orElseThrow())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(file));
        }
    }

    @Test
    void progressEventsOfAChunkNameItsIndexAndItsBytesSoFar() throws Exception {
        service(b -> b.progressInterval(Duration.ofMillis(20)));
        byte[] file = random(CHUNK, 6);
        UploadSession session = service.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build());
        service.handleChunk(
                ChunkRequest.of(session.uploadId(), 0, file.length, new PacedStream(file, 8, Duration.ofMillis(25))));
        List<UploadEvent> progress = events.stream()
                .filter(e -> e.type() == UploadEvent.Type.PROGRESS)
                .toList();
        assertThat(progress).hasSizeGreaterThanOrEqualTo(7).allSatisfy(e -> {
            assertThat(e.chunkIndex()).hasValue(0);
            assertThat(e.bytes().getAsLong()).isBetween(1L, (long) file.length);
        });
        assertThat(progress.stream().map(e -> e.bytes().getAsLong()).toList()).isSorted();
        assertThat(service.getStatus(session.uploadId()).receivedChunks()).containsExactly(0);
    }

    @Test
    void completionHookFieldsGoIntoTheTorrinJsonAndTusHeadersLeavingReservedAndInvalidOnesOut() throws Exception {
        service(b -> b.hook(new UploadHooks() {
                    @Override
                    public Map<String, String> afterComplete(CompleteResult result, RequestContext context) {
                        Map<String, String> fields = new LinkedHashMap<>();
                        fields.put("File-Url", "/files/" + result.uploadId());
                        fields.put("uploadId", "forged");
                        fields.put("Upload-Offset", "0");
                        fields.put("bad name", "x");
                        fields.put("Split", "a\r\nSet-Cookie: x=y");
                        return fields;
                    }
                })
                .hook(new UploadHooks() {
                    @Override
                    public Map<String, String> afterComplete(CompleteResult result, RequestContext context) {
                        throw new IllegalStateException("a broken hook");
                    }
                }));
        TorrinProtocolHandler torrin = TorrinProtocolHandler.builder(service).build();
        byte[] file = random(1000, 4);
        JsonNode created =
                JSON.readTree(torrin.handle(FakeRequest.of("POST", "/").json("{\"fileSize\": 1000}"))
                        .body());
        String id = created.get("uploadId").asText();
        HttpResponse chunk =
                torrin.handle(FakeRequest.of("PUT", "/" + id + "/chunks/0").body(file));
        assertThat(chunk.status()).as(chunk.bodyText()).isEqualTo(200);
        HttpResponse completed = torrin.handle(FakeRequest.of("POST", "/" + id + "/complete"));
        assertThat(completed.status()).as(completed.bodyText()).isEqualTo(200);
        JsonNode json = JSON.readTree(completed.body());
        assertThat(json.get("File-Url").asText()).isEqualTo("/files/" + id);
        assertThat(json.get("uploadId").asText()).isEqualTo(id);
        assertThat(json.has("bad name")).isFalse();
        assertThat(json.has("Split")).isFalse();
        HttpResponse status = torrin.handle(FakeRequest.of("GET", "/" + id + "/status"));
        assertThat(JSON.readTree(status.body()).has("File-Url")).isFalse();

        TusProtocolHandler tus = TusProtocolHandler.builder(service).build();
        HttpResponse tusCreated = tus.handle(
                FakeRequest.of("POST", "/").header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000"));
        String location = tusCreated.header("Location");
        String tusId = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse patched = tus.handle(FakeRequest.of("PATCH", "/" + tusId)
                .header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0")
                .body(file));
        assertThat(patched.status()).as(patched.bodyText()).isEqualTo(204);
        assertThat(patched.header("File-Url")).isEqualTo("/files/" + tusId);
        assertThat(patched.header("Upload-Offset")).isEqualTo("1000");
        assertThat(patched.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("Split"));
        try (InputStream in = storage.open(service.appends()
                .getStatus(tusId, RequestContext.none())
                .location()
                .orElseThrow())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(file));
        }
    }

    @Test
    void shutdownEndsRunningBodiesRefusesNewRequestsRetryablyAndKeepsWhatWasStored() throws Exception {
        service(b -> {});
        byte[] file = random(CHUNK * 2, 5);
        UploadSession chunked = service.initUpload(
                InitUploadRequest.builder().fileSize(file.length).build());
        var appendUpload = service.appends()
                .initUpload(InitUploadRequest.builder().fileSize(file.length).build(), Map.of(), RequestContext.none());
        StallingStream chunkBody = new StallingStream(file, 0, CHUNK / 2);
        StallingStream appendBody = new StallingStream(file, 0, 1000);
        CompletableFuture<Object> chunk = CompletableFuture.supplyAsync(
                supply(() -> service.handleChunk(ChunkRequest.of(chunked.uploadId(), 0, CHUNK, chunkBody))));
        CompletableFuture<Object> append = CompletableFuture.supplyAsync(supply(() -> service.appends()
                .append(AppendRequest.of(appendUpload.uploadId(), 0, file.length, appendBody), RequestContext.none())));
        assertThat(chunkBody.stalled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(appendBody.stalled.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        assertThat(service.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

        Object chunkOutcome = chunk.get(5, TimeUnit.SECONDS);
        assertThat(chunkOutcome).isInstanceOf(TorrinException.class);
        TorrinException refused = (TorrinException) chunkOutcome;
        assertThat(refused.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(refused.isRetryable()).isTrue();
        Object appendOutcome = append.get(5, TimeUnit.SECONDS);
        assertThat(appendOutcome).isInstanceOf(AppendStatus.class);
        assertThat(((AppendStatus) appendOutcome).offset()).isEqualTo(1000);

        assertThatThrownBy(() -> service.getStatus(chunked.uploadId()))
                .isInstanceOf(TorrinException.class)
                .satisfies(e -> assertThat(((TorrinException) e).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        HttpResponse viaHttp = TusProtocolHandler.builder(service)
                .build()
                .handle(FakeRequest.of("HEAD", "/" + appendUpload.uploadId()).header("Tus-Resumable", "1.0.0"));
        assertThat(viaHttp.status()).isEqualTo(503);
        assertThat(viaHttp.header("Retry-After")).isEqualTo("5");
        service.close();

        // a new service on the same storage and store: the chunk was not recorded, the append's bytes were
        try (UploadService restarted = UploadService.builder()
                .storage(storage)
                .store(store)
                .sweepInterval(Duration.ZERO)
                .build()) {
            assertThat(restarted.getStatus(chunked.uploadId()).receivedChunks()).isEmpty();
            assertThat(restarted
                            .appends()
                            .getStatus(appendUpload.uploadId(), RequestContext.none())
                            .offset())
                    .isEqualTo(1000);
            var done = restarted
                    .appends()
                    .append(
                            AppendRequest.of(
                                    appendUpload.uploadId(),
                                    1000,
                                    file.length - 1000,
                                    new ByteArrayInputStream(file, 1000, file.length - 1000)),
                            RequestContext.none());
            try (InputStream in = storage.open(done.location().orElseThrow())) {
                assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(file));
            }
        }
    }

    private static Supplier<Object> supply(Supplier<Object> call) {
        return () -> {
            try {
                return call.get();
            } catch (TorrinException e) {
                return e;
            }
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Gives a prefix of the bytes, then blocks (like a stalled client) until the reading thread is interrupted. */
    private static final class StallingStream extends InputStream {
        private final byte[] bytes;
        private int position;
        private final int stallAt;
        final CountDownLatch stalled = new CountDownLatch(1);

        StallingStream(byte[] bytes, int from, int stallAt) {
            this.bytes = bytes;
            this.position = from;
            this.stallAt = stallAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position < stallAt) {
                int n = Math.min(length, stallAt - position);
                System.arraycopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
            stalled.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException("the reading thread was interrupted");
            }
            return -1;
        }
    }

    /** Gives the bytes in equal slices, waiting a fixed time before each. */
    private static final class PacedStream extends InputStream {
        private final byte[] bytes;
        private final int slice;
        private final Duration pause;
        private int position;

        PacedStream(byte[] bytes, int slices, Duration pause) {
            this.bytes = bytes;
            this.slice = bytes.length / slices;
            this.pause = pause;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= bytes.length) {
                return -1;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pause.toNanos());
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            int n = Math.min(Math.min(length, slice), bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
