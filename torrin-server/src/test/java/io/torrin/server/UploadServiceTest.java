/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadServiceTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final InMemoryStorageDriver driver = InMemoryStorageDriver.create();
    private final InMemoryUploadStore store = InMemoryUploadStore.create();
    private final List<UploadEvent> events = new CopyOnWriteArrayList<>();
    private final List<UploadService> services = new ArrayList<>();

    @AfterEach
    void closeServices() {
        services.forEach(UploadService::close);
    }

    private UploadService service(Consumer<UploadServiceBuilder> customizer) {
        UploadServiceBuilder builder = UploadService.builder()
                .storage(driver)
                .store(store)
                .sweepInterval(Duration.ZERO)
                .eventExecutor(Runnable::run)
                .listener(events::add);
        customizer.accept(builder);
        UploadService service = builder.build();
        services.add(service);
        return service;
    }

    private UploadService service() {
        return service(b -> {});
    }

    private static InitUploadRequest.Builder request(long fileSize) {
        return InitUploadRequest.builder().fileName("file.bin").fileSize(fileSize);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TorrinException.class, e -> {
            assertThat(e.code()).as(e.toString()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(code.httpStatus());
        });
    }

    // --- init validation ---

    @Test
    void initUploadWhenFileSizeMissingThenInvalidRequest() {
        assertCode(
                () -> service()
                        .initUpload(InitUploadRequest.builder().fileName("a").build()),
                ErrorCode.INVALID_REQUEST);
        assertThat(store.findExpired(Instant.MAX, 10)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void initUploadWhenFileSizeNotPositiveThenInvalidRequest(long size) {
        assertCode(() -> service().initUpload(request(size).build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void initUploadWhenFileSizeAboveMaximumThenFileTooLarge() {
        UploadService service = service(b -> b.maxFileSize(10 * MIB));
        assertThat(service.initUpload(request(10 * MIB).build()).fileSize()).hasValue(10 * MIB);
        assertThatThrownBy(() -> service.initUpload(request(10 * MIB + 1).build()))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE);
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.details()).containsEntry("maxFileSize", 10 * MIB);
                });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../etc/passwd",
                "a/b.txt",
                "a\\b.txt",
                "..",
                ".",
                "",
                "   ",
                "nul\u0000byte",
                "line\nbreak",
                "tab\tname",
                "evil\u202Etxt.exe",
                "del\u007F",
                "c1\u0085",
                "lone\uD800surrogate",
                "isolate\u2066x"
            })
    void initUploadWhenFileNameHostileThenInvalidRequest(String name) {
        assertCode(() -> service().initUpload(request(10).fileName(name).build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void initUploadWhenFileNameLongerThan255BytesThenInvalidRequest() {
        String ok = "é".repeat(127) + "a";
        String tooLong = "é".repeat(128);
        assertThat(service().initUpload(request(10).fileName(ok).build()).fileName())
                .contains(ok);
        assertCode(() -> service().initUpload(request(10).fileName(tooLong).build()), ErrorCode.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ünïcödé 📄 report.pdf", "..hidden", "a..b", ".env", "no extension", "日本語.txt"})
    void initUploadWhenFileNameUnusualButHarmlessThenAccepted(String name) {
        assertThat(service().initUpload(request(10).fileName(name).build()).fileName())
                .contains(name);
    }

    @Test
    void initUploadWhenNoFileNameOrMimeTypeThenDefaults() {
        UploadSession session =
                service().initUpload(InitUploadRequest.builder().fileSize(5).build());
        assertThat(session.fileName()).isEmpty();
        assertThat(session.mimeType()).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text",
                "text/plain\r\nX-Evil: 1",
                "a/b/c",
                "/plain",
                "text/",
                "text/plain; charset",
                "text/plain\r\n; a=b",
                "text/plain;\na=b",
                "text/plain\f;a=b"
            })
    void initUploadWhenMimeTypeInvalidThenInvalidRequest(String mimeType) {
        assertCode(() -> service().initUpload(request(10).mimeType(mimeType).build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void initUploadWhenMimeTypeHasParametersThenAccepted() {
        assertThat(service()
                        .initUpload(request(10)
                                .mimeType("text/plain; charset=utf-8")
                                .build())
                        .mimeType())
                .isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void initUploadWhenMetadataAboveLimitThenPayloadTooLarge() {
        UploadService service = service(b -> b.maxMetadataBytes(100));
        assertThat(service.initUpload(request(10)
                                .metadata(Map.of("k", "v".repeat(99)))
                                .build())
                        .metadata())
                .hasSize(1);
        assertCode(
                () -> service.initUpload(
                        request(10).metadata(Map.of("k", "v".repeat(100))).build()),
                ErrorCode.PAYLOAD_TOO_LARGE);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 257; i++) {
            many.put("k" + i, "");
        }
        assertCode(() -> service().initUpload(request(10).metadata(many).build()), ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void initUploadWhenMetadataKeysOrValuesMalformedThenInvalidRequest() {
        assertCode(() -> service().initUpload(request(10).putMetadata("", "v").build()), ErrorCode.INVALID_REQUEST);
        assertCode(
                () -> service().initUpload(request(10).putMetadata("a\nb", "v").build()), ErrorCode.INVALID_REQUEST);
        assertCode(
                () -> service()
                        .initUpload(
                                request(10).putMetadata("k".repeat(129), "v").build()),
                ErrorCode.INVALID_REQUEST);
        assertCode(
                () -> service()
                        .initUpload(request(10).putMetadata("k", "nul\u0000").build()),
                ErrorCode.INVALID_REQUEST);
        assertThat(service()
                        .initUpload(
                                request(10).putMetadata("k", "tab\tand ünïcödé").build())
                        .metadata())
                .containsEntry("k", "tab\tand ünïcödé");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -5})
    void initUploadWhenDesiredChunkSizeNotPositiveThenInvalidRequest(long wish) {
        assertCode(() -> service().initUpload(request(10).desiredChunkSize(wish).build()), ErrorCode.INVALID_REQUEST);
    }

    // --- chunk size negotiation ---

    @Test
    void initUploadWhenNoWishThenDefaultChunkSizeAndCeilChunkCount() {
        UploadSession session = service().initUpload(request(10 * MIB + 1).build());
        assertThat(session.chunkSize()).isEqualTo(MIB);
        assertThat(session.totalChunks()).isEqualTo(11);
        assertThat(session.expectedChunkSize(10)).isEqualTo(1);
        assertThat(session.state()).isEqualTo(UploadState.PENDING);
    }

    @Test
    void initUploadWhenWishOutsideServiceLimitsThenClamped() {
        UploadService service = service();
        assertThat(service.initUpload(request(GIB()).desiredChunkSize(1).build())
                        .chunkSize())
                .isEqualTo(256 * KIB);
        assertThat(service.initUpload(request(GIB()).desiredChunkSize(GIB()).build())
                        .chunkSize())
                .isEqualTo(100 * MIB);
        assertThat(service.initUpload(
                                request(GIB()).desiredChunkSize(3 * MIB + 7).build())
                        .chunkSize())
                .isEqualTo(3 * MIB + 7);
    }

    @Test
    void initUploadWhenStorageDemandsS3LimitsThenChunksAreAtLeast5MibAndAtMost10000() {
        InMemoryStorageDriver s3Like = InMemoryStorageDriver.withConstraints(
                new StorageConstraints(5 * MIB, 5 * GIB(), 10_000, 5 * 1024 * GIB()));
        UploadService service = service(b -> b.storage(s3Like));
        assertThat(service.initUpload(request(GIB()).build()).chunkSize()).isEqualTo(5 * MIB);
        assertThat(service.initUpload(request(GIB()).desiredChunkSize(MIB).build())
                        .chunkSize())
                .isEqualTo(5 * MIB);
        UploadSession large = service.initUpload(
                request(100 * GIB()).desiredChunkSize(5 * MIB).build());
        assertThat(large.totalChunks()).isLessThanOrEqualTo(10_000);
        assertThat(large.chunkSize()).isBetween(5 * MIB, 100 * MIB);
        UploadSession tiny = service.initUpload(request(10).build());
        assertThat(tiny.totalChunks()).isEqualTo(1);
        assertThatThrownBy(
                        () -> service.initUpload(request(100 * MIB * 10_000 + 1).build()))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
    }

    @Test
    void buildWhenServiceChunkRangeMissesStorageRangeThenIllegalArgument() {
        InMemoryStorageDriver s3Like = InMemoryStorageDriver.withConstraints(
                new StorageConstraints(5 * MIB, 5 * GIB(), 10_000, Long.MAX_VALUE));
        assertThatThrownBy(() -> UploadService.builder()
                        .storage(s3Like)
                        .store(store)
                        .chunkSizeLimits(256 * KIB, MIB)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long GIB() {
        return 1024 * MIB;
    }

    // --- ids ---

    @Test
    void initUploadWhenCalledRepeatedlyThenIdsAreUrlSafeRandomAndDistinct() {
        UploadService service = service();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String id = service.initUpload(request(1).build()).uploadId();
            assertThat(id).matches("[a-z2-7]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(2000);
    }

    // --- chunks ---

    @Test
    void handleChunkWhenIndexOutOfRangeThenChunkOutOfRangeWithDetails() {
        UploadService service = service();
        UploadSession session = service.initUpload(request(2 * MIB).build());
        for (int index : new int[] {-1, 2, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), index, MIB, new ByteArrayInputStream(new byte[0]))))
                    .isInstanceOfSatisfying(TorrinException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_OUT_OF_RANGE);
                        assertThat(e.details()).containsEntry("index", index).containsEntry("totalChunks", 2);
                    });
        }
    }

    @Test
    void handleChunkWhenDeclaredSizeWrongThenSizeMismatchWithDetailsAndStreamUntouched() throws IOException {
        UploadService service = service();
        UploadSession session = service.initUpload(request(MIB + 10).build());
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[11]);
        assertThatThrownBy(() -> service.handleChunk(ChunkRequest.of(session.uploadId(), 1, 11, body)))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_SIZE_MISMATCH);
                    assertThat(e.details()).containsEntry("expected", 10L).containsEntry("actual", 11L);
                });
        assertThat(body.available()).isEqualTo(11);
        assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "short", "has space in it!", "ÜNICODE-ID-0123456789"})
    void operationsWhenIdMalformedThenInvalidRequest(String id) {
        UploadService service = service();
        assertCode(() -> service.getStatus(id), ErrorCode.INVALID_REQUEST);
        assertCode(
                () -> service.handleChunk(ChunkRequest.of(id, 0, 1, new ByteArrayInputStream(new byte[1]))),
                ErrorCode.INVALID_REQUEST);
        assertCode(() -> service.completeUpload(id), ErrorCode.INVALID_REQUEST);
        assertCode(() -> service.abortUpload(id), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void operationsWhenIdUnknownThenUploadNotFound() {
        UploadService service = service();
        String id = "abcdefghijklmnopqrstuvwxyz234567";
        assertCode(() -> service.getStatus(id), ErrorCode.UPLOAD_NOT_FOUND);
        assertCode(
                () -> service.handleChunk(ChunkRequest.of(id, 0, 1, new ByteArrayInputStream(new byte[1]))),
                ErrorCode.UPLOAD_NOT_FOUND);
        assertCode(() -> service.completeUpload(id), ErrorCode.UPLOAD_NOT_FOUND);
        assertCode(() -> service.abortUpload(id), ErrorCode.UPLOAD_NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "md5:0123456789abcdef0123456789abcdef",
                "xyz",
                "sha256:abc",
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"
            })
    void handleChunkWhenHashMalformedThenInvalidRequest(String hash) {
        UploadService service = service();
        UploadSession session = service.initUpload(request(10).build());
        assertCode(
                () -> service.handleChunk(
                        ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10]), hash)),
                ErrorCode.INVALID_REQUEST);
        assertCode(() -> service.completeUpload(session.uploadId(), hash), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void handleChunkWhenTheExpiryWouldMoveByLessThanTheStepThenTheStoredOneIsKept() {
        MutableTestClock clock = new MutableTestClock();
        UploadService service = service(b -> b.clock(clock)
                .chunkSizeLimits(1, 1024)
                .uploadTtl(Duration.ofMinutes(10))
                .expiryStep(Duration.ofMinutes(1)));
        UploadSession session =
                service.initUpload(request(40).desiredChunkSize(10).build());
        Instant created = session.expiresAt();

        clock.advance(Duration.ofSeconds(59));
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10])));
        assertThat(store.find(session.uploadId()).orElseThrow().session().expiresAt())
                .isEqualTo(created);

        clock.advance(Duration.ofSeconds(2));
        service.handleChunk(ChunkRequest.of(session.uploadId(), 1, 10, new ByteArrayInputStream(new byte[10])));
        Instant moved = store.find(session.uploadId()).orElseThrow().session().expiresAt();
        assertThat(moved).isEqualTo(created.plusSeconds(61));
        assertThat(service.getStatus(session.uploadId()).session().expiresAt()).isEqualTo(moved);
    }

    @Test
    void handleChunkWhenTheExpiryStepIsZeroThenEveryChunkMovesTheExpiry() {
        MutableTestClock clock = new MutableTestClock();
        UploadService service = service(b -> b.clock(clock)
                .chunkSizeLimits(1, 1024)
                .uploadTtl(Duration.ofMinutes(10))
                .expiryStep(Duration.ZERO));
        UploadSession session =
                service.initUpload(request(40).desiredChunkSize(10).build());
        clock.advance(Duration.ofMillis(5));
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10])));
        assertThat(store.find(session.uploadId()).orElseThrow().session().expiresAt())
                .isEqualTo(session.expiresAt().plusMillis(5));
    }

    @Test
    void buildWhenTheExpiryStepIsNegativeOrNotShorterThanTheTtlThenRefused() {
        assertThatThrownBy(() -> UploadService.builder().expiryStep(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service(b -> b.uploadTtl(Duration.ofMinutes(5)).expiryStep(Duration.ofMinutes(5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expiryStep");
    }

    @Test
    void handleChunkWhenUploadExpiredThenUploadNotFound() {
        MutableTestClock clock = new MutableTestClock();
        UploadService service = service(b -> b.clock(clock).uploadTtl(Duration.ofMinutes(10)));
        UploadSession session = service.initUpload(request(10).build());
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> service.handleChunk(
                        ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10]))))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
                    assertThat(e.details()).containsEntry("reason", "expired");
                });
    }

    @Test
    void handleChunkWhenStorageFailsThenStorageErrorAndUploadResumable() throws Exception {
        StorageDriver failingOnce = new DelegatingDriver(driver) {
            private boolean failed;

            @Override
            public synchronized void writeChunk(ChunkWrite write) throws IOException {
                if (!failed) {
                    failed = true;
                    write.data().read(new byte[100]);
                    throw new IOException("disk full (simulated)");
                }
                super.writeChunk(write);
            }
        };
        UploadService service = service(b -> b.storage(failingOnce));
        byte[] file = random(1000);
        UploadSession session = service.initUpload(request(file.length).build());
        assertThatThrownBy(() -> service.handleChunk(
                        ChunkRequest.of(session.uploadId(), 0, 1000, new ByteArrayInputStream(file))))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                    assertThat(e.code().isRetryable()).isTrue();
                });
        assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 1000, new ByteArrayInputStream(file)));
        var result = service.completeUpload(session.uploadId(), sha256(file));
        assertThat(driver.read(result.location()).orElseThrow()).isEqualTo(file);
    }

    // --- locking ---

    @Test
    void completeUploadWhenChunkWriteInFlightThenWaitsBoundedAndAnswersUploadLockedWhileAReSendEndsTheWrite()
            throws Exception {
        UploadService service = service(b -> b.lockTimeout(Duration.ofMillis(200)));
        byte[] file = random((int) (MIB + 100));
        UploadSession session = service.initUpload(request(file.length).build());
        service.handleChunk(ChunkRequest.of(
                session.uploadId(),
                1,
                100,
                new ByteArrayInputStream(Arrays.copyOfRange(file, (int) MIB, file.length))));
        GatedStream gate = new GatedStream(Arrays.copyOf(file, (int) MIB));
        CompletableFuture<ChunkResult> stalled = CompletableFuture.supplyAsync(
                () -> service.handleChunk(ChunkRequest.of(session.uploadId(), 0, MIB, gate)));
        assertThat(gate.started.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        assertCode(() -> service.completeUpload(session.uploadId()), ErrorCode.UPLOAD_LOCKED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(service.getStatus(session.uploadId()).receivedChunks()).containsExactly(1);

        // a re-send of the chunk ends the stalled write (it is not recorded) instead of waiting for it
        start = System.nanoTime();
        service.handleChunk(
                ChunkRequest.of(session.uploadId(), 0, MIB, new ByteArrayInputStream(Arrays.copyOf(file, (int) MIB))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> stalled.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TorrinException.class)
                .cause()
                .satisfies(e -> assertThat(((TorrinException) e).code()).isEqualTo(ErrorCode.CHUNK_SIZE_MISMATCH));
        var result = service.completeUpload(session.uploadId(), sha256(file));
        assertThat(driver.read(result.location()).orElseThrow()).isEqualTo(file);
    }

    @Test
    void handleChunkWhenAnotherChunkOfSameUploadStallsThenOtherChunksProceed() throws Exception {
        UploadService service = service(b -> b.lockTimeout(Duration.ofSeconds(5)));
        byte[] file = random((int) (3 * MIB));
        UploadSession session = service.initUpload(request(file.length).build());
        GatedStream gate = new GatedStream(Arrays.copyOf(file, (int) MIB));
        CompletableFuture<ChunkResult> stalled = CompletableFuture.supplyAsync(
                () -> service.handleChunk(ChunkRequest.of(session.uploadId(), 0, MIB, gate)));
        assertThat(gate.started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 3; i++) {
            service.handleChunk(ChunkRequest.of(
                    session.uploadId(), i, MIB, new ByteArrayInputStream(Arrays.copyOfRange(file, (int) (i * MIB), (int)
                            ((i + 1) * MIB)))));
        }
        UploadSession other = service.initUpload(request(10).build());
        service.handleChunk(ChunkRequest.of(other.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10])));
        service.completeUpload(other.uploadId());
        gate.release.countDown();
        stalled.get(10, TimeUnit.SECONDS);
        assertThat(service.getStatus(session.uploadId()).missingChunks()).isEmpty();
    }

    // --- hooks ---

    @Test
    void hooksWhenTheyRejectThenCallerGetsTheirErrorAndNothingChanges() throws IOException {
        TorrinException forbidden = new TorrinException(ErrorCode.FORBIDDEN, "no");
        Set<String> deny = new HashSet<>();
        UploadHooks hooks = new UploadHooks() {
            @Override
            public InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
                if (deny.contains("init")) {
                    throw forbidden;
                }
                return request;
            }

            @Override
            public void beforeChunk(UploadSession session, int index, RequestContext context) {
                if (deny.contains("chunk")) {
                    throw forbidden;
                }
            }

            @Override
            public void beforeStatus(UploadSession session, RequestContext context) {
                if (deny.contains("status")) {
                    throw forbidden;
                }
            }

            @Override
            public void beforeComplete(UploadSession session, RequestContext context) {
                if (deny.contains("complete")) {
                    throw forbidden;
                }
            }

            @Override
            public void beforeAbort(UploadSession session, RequestContext context) {
                if (deny.contains("abort")) {
                    throw forbidden;
                }
            }
        };
        UploadService service = service(b -> b.hook(hooks));
        UploadSession session = service.initUpload(request(10).build());

        deny.add("init");
        assertCode(() -> service.initUpload(request(10).build()), ErrorCode.FORBIDDEN);
        deny.add("chunk");
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[10]);
        assertCode(() -> service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, body)), ErrorCode.FORBIDDEN);
        assertThat(body.available()).isEqualTo(10);
        assertThat(driver.openStaged(new StorageUpload(session, Map.of())).readAllBytes())
                .isEmpty();
        deny.remove("chunk");
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10])));
        deny.add("status");
        assertCode(() -> service.getStatus(session.uploadId()), ErrorCode.FORBIDDEN);
        deny.add("complete");
        assertCode(() -> service.completeUpload(session.uploadId()), ErrorCode.FORBIDDEN);
        deny.add("abort");
        assertCode(() -> service.abortUpload(session.uploadId()), ErrorCode.FORBIDDEN);
        assertThat(store.find(session.uploadId()).orElseThrow().session().state())
                .isEqualTo(UploadState.IN_PROGRESS);
        assertThat(events.stream().map(UploadEvent::type))
                .containsExactly(UploadEvent.Type.CREATED, UploadEvent.Type.CHUNK_RECEIVED);
    }

    @Test
    void beforeInitWhenItRewritesTheRequestThenSessionHasTheRewriteAndItIsValidatedAgain() {
        Principal alice = () -> "alice";
        UploadService service = service(b -> b.hook(new UploadHooks() {
            @Override
            public InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
                return request.toBuilder()
                        .putMetadata(
                                "owner",
                                context.principal().map(Principal::getName).orElse("anonymous"))
                        .fileName(request.fileName().orElse("").replace("evil", "../evil"))
                        .build();
            }
        }));
        UploadSession session = service.initUpload(request(10).build(), RequestContext.of(alice));
        assertThat(session.metadata()).containsEntry("owner", "alice");
        assertCode(() -> service.initUpload(request(10).fileName("evil.txt").build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void hooksWhenTheyThrowSomethingElseThenInternalError() {
        UploadService service = service(b -> b.hook(new UploadHooks() {
            @Override
            public void beforeStatus(UploadSession session, RequestContext context) {
                throw new IllegalStateException("bug in application hook");
            }
        }));
        UploadSession session = service.initUpload(request(10).build());
        assertCode(() -> service.getStatus(session.uploadId()), ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void hooksWhenGivenAContextThenSeeHeadersCaseInsensitively() {
        List<String> seen = new CopyOnWriteArrayList<>();
        UploadService service = service(b -> b.hook(new UploadHooks() {
            @Override
            public void beforeStatus(UploadSession session, RequestContext context) {
                seen.add(context.header("authorization").orElse("none"));
            }
        }));
        UploadSession session = service.initUpload(request(10).build());
        service.getStatus(
                session.uploadId(),
                new RequestContext(Optional.empty(), Map.of("Authorization", List.of("Bearer x")), Map.of()));
        service.getStatus(session.uploadId());
        assertThat(seen).containsExactly("Bearer x", "none");
    }

    // --- listeners ---

    @Test
    void listenersWhenOneThrowsThenUploadSucceedsAndOthersStillHearEverything() throws Exception {
        List<UploadEvent> heard = new CopyOnWriteArrayList<>();
        UploadService service = service(b -> b.listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(heard::add));
        byte[] file = random(10);
        UploadSession session = service.initUpload(request(10).build());
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(file)));
        var result = service.completeUpload(session.uploadId(), sha256(file));
        assertThat(heard)
                .extracting(UploadEvent::type)
                .containsExactly(UploadEvent.Type.CREATED, UploadEvent.Type.CHUNK_RECEIVED, UploadEvent.Type.COMPLETED);
        assertThat(heard.get(1).chunkIndex()).hasValue(0);
        assertThat(heard.get(1).session().state()).isEqualTo(UploadState.IN_PROGRESS);
        assertThat(heard.get(2).location()).contains(result.location());
    }

    @Test
    void listenersWhenDefaultExecutorThenEventsArriveOnABackgroundThreadInOrder() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        List<UploadEvent.Type> types = new CopyOnWriteArrayList<>();
        CountDownLatch completed = new CountDownLatch(1);
        UploadService service = UploadService.builder()
                .storage(driver)
                .store(store)
                .sweepInterval(Duration.ZERO)
                .listener(event -> {
                    threads.add(Thread.currentThread().getName());
                    types.add(event.type());
                    if (event.type() == UploadEvent.Type.COMPLETED) {
                        completed.countDown();
                    }
                })
                .build();
        services.add(service);
        UploadSession session = service.initUpload(request(10).build());
        service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 10, new ByteArrayInputStream(new byte[10])));
        service.completeUpload(session.uploadId());
        assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(types)
                .containsExactly(UploadEvent.Type.CREATED, UploadEvent.Type.CHUNK_RECEIVED, UploadEvent.Type.COMPLETED);
        assertThat(threads).allMatch(name -> name.equals("torrin-events"));
    }

    // --- sweep and lifecycle ---

    @Test
    void sweepWhenScheduledThenExpiredUploadsAreRemovedInTheBackground() throws Exception {
        MutableTestClock clock = new MutableTestClock();
        CountDownLatch expired = new CountDownLatch(1);
        UploadService service = service(b -> b.clock(clock)
                .uploadTtl(Duration.ofMinutes(5))
                .sweepInterval(Duration.ofMillis(20))
                .listener(event -> {
                    if (event.type() == UploadEvent.Type.EXPIRED) {
                        expired.countDown();
                    }
                }));
        UploadSession session = service.initUpload(request(10).build());
        clock.advance(Duration.ofMinutes(6));
        assertThat(expired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.find(session.uploadId())).isEmpty();
        assertThat(driver.isStaged(session.uploadId())).isFalse();
    }

    @Test
    void operationsWhenServiceClosedThenIllegalState() {
        UploadService service = service();
        service.close();
        service.close();
        assertThatThrownBy(() -> service.initUpload(request(1).build())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(service::sweepExpired).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void appendWhenAnotherAppendHoldsTheLockButRegistersOnlyLaterThenTheWaitingAppendEndsItAndProceeds()
            throws Exception {
        CountDownLatch firstInHook = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        UploadService service =
                service(b -> b.lockTimeout(Duration.ofSeconds(5)).hook(new UploadHooks() {
                    @Override
                    public void beforeAppend(UploadSession session, long offset, RequestContext context) {
                        if (first.compareAndSet(true, false)) {
                            // holds the lock here, before it registers as a running append
                            firstInHook.countDown();
                            try {
                                releaseFirst.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }));
        byte[] bytes = random(5000);
        String id = service.appends()
                .initUpload(request(bytes.length).build(), Map.of(), RequestContext.none())
                .uploadId();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<AppendStatus> stalled = threads.submit(() -> service.appends()
                    .append(AppendRequest.of(id, 0, bytes.length, new StallingStream()), RequestContext.none()));
            assertThat(firstInHook.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(service.appends().interruptAppend(id, RequestContext.none()))
                    .as("nothing to end yet: the first append holds the lock but has not registered")
                    .isFalse();
            Future<AppendStatus> resumed = threads.submit(() -> service.appends()
                    .append(
                            AppendRequest.of(id, 0, bytes.length, new ByteArrayInputStream(bytes)),
                            RequestContext.none()));
            releaseFirst.countDown();
            AppendStatus done = resumed.get(30, TimeUnit.SECONDS);
            assertThat(done.offset()).isEqualTo(bytes.length);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(stalled.get(30, TimeUnit.SECONDS).offset())
                    .as("the stalled append stored nothing")
                    .isZero();
            try (InputStream in = driver.open(done.location().orElseThrow())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void appendStatusWhenAnotherRequestIsCopyingTheFinalThenItAnswersUnfinishedAtOnce() throws Exception {
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch releaseCopy = new CountDownLatch(1);
        AtomicReference<String> part = new AtomicReference<>();
        StorageDriver slowCopy = new DelegatingDriver(driver) {
            @Override
            public long append(AppendWrite write) throws IOException {
                if (part.get() != null && !write.upload().uploadId().equals(part.get())) {
                    copying.countDown();
                    try {
                        releaseCopy.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.append(write);
            }
        };
        UploadService service = service(b -> b.storage(slowCopy).lockTimeout(Duration.ofSeconds(30)));
        byte[] bytes = random(5000);
        String partId = service.appends()
                .initUpload(request(bytes.length).build(), Map.of(), RequestContext.none())
                .uploadId();
        service.appends()
                .append(
                        AppendRequest.of(partId, 0, bytes.length, new ByteArrayInputStream(bytes)),
                        RequestContext.none());
        part.set(partId);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<AppendStatus> created = threads.submit(() -> service.appends()
                    .concatenate(
                            InitUploadRequest.builder().build(), List.of(partId), Map.of(), RequestContext.none()));
            assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
            String finalId = events.stream()
                    .filter(e -> e.type() == UploadEvent.Type.CREATED)
                    .map(e -> e.session().uploadId())
                    .filter(id -> !id.equals(partId))
                    .findFirst()
                    .orElseThrow();
            AppendStatus during = threads.submit(() -> service.appends().getStatus(finalId, RequestContext.none()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(during.session().state().isActive())
                    .as("reported as unfinished while the copy runs")
                    .isTrue();
            releaseCopy.countDown();
            AppendStatus done = created.get(30, TimeUnit.SECONDS);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            try (InputStream in = driver.open(done.location().orElseThrow())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        } finally {
            releaseCopy.countDown();
            threads.shutdownNow();
        }
    }

    /** A body that never sends a byte: its read blocks until the reading thread is interrupted. */
    @Test
    void handleChunkWhenTheBodyArrivesBelowTheMinimumRateThenItIsEndedAndNotRecorded() {
        UploadService service = service(b -> b.minimumDataRate(1024, Duration.ofSeconds(1)));
        UploadSession session = service.initUpload(request(100 * KIB).build());
        byte[] first = random(10);
        InputStream trickle = new SequenceInputStream(new ByteArrayInputStream(first), new StallingStream());
        long start = System.nanoTime();
        assertThatThrownBy(() -> service.handleChunk(ChunkRequest.of(session.uploadId(), 0, 100 * KIB, trickle)))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_SIZE_MISMATCH);
                    assertThat(e.details()).containsEntry("interrupted", true);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
        byte[] chunk = random((int) (100 * KIB));
        assertThat(service.handleChunk(
                                ChunkRequest.of(session.uploadId(), 0, chunk.length, new ByteArrayInputStream(chunk)))
                        .alreadyReceived())
                .isFalse();
    }

    @Test
    void appendWhenTheBodyArrivesBelowTheMinimumRateThenItEndsAndWhatArrivedCounts() {
        UploadService service = service(b -> b.minimumDataRate(1024, Duration.ofSeconds(1)));
        byte[] file = random(5000);
        String id = service.appends()
                .initUpload(request(file.length).build(), Map.of(), RequestContext.none())
                .uploadId();
        InputStream trickle =
                new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOf(file, 700)), new StallingStream());
        AppendStatus ended =
                service.appends().append(AppendRequest.of(id, 0, file.length, trickle), RequestContext.none());
        assertThat(ended.offset()).isEqualTo(700);
        AppendStatus done = service.appends()
                .append(
                        AppendRequest.of(
                                id,
                                700,
                                file.length - 700,
                                new ByteArrayInputStream(Arrays.copyOfRange(file, 700, file.length))),
                        RequestContext.none());
        assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
        assertThat(driver.read(done.location().orElseThrow())).contains(file);
    }

    @Test
    void initUploadWhenTheUnfinishedLimitIsReachedThenTooManyUploadsUntilOneEnds() {
        UploadService service = service(b -> b.maxUnfinishedUploads(2));
        UploadSession first = service.initUpload(request(10).build());
        UploadSession second = service.initUpload(request(10).build());
        assertThatThrownBy(() -> service.initUpload(request(10).build()))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_UPLOADS);
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.isRetryable()).isTrue();
                });
        service.abortUpload(first.uploadId());
        UploadSession third = service.initUpload(request(10).build());
        byte[] bytes = random(10);
        service.handleChunk(ChunkRequest.of(second.uploadId(), 0, 10, new ByteArrayInputStream(bytes)));
        service.completeUpload(second.uploadId());
        service.initUpload(request(10).build());
        assertCode(() -> service.initUpload(request(10).build()), ErrorCode.TOO_MANY_UPLOADS);
        assertThat(third.uploadId()).isNotEqualTo(second.uploadId());
    }

    @Test
    void initUploadWhenACallerExceedsItsCreationLimitThenTooManyUploadsWithRetryAfterAndOthersGoOn() {
        MutableTestClock clock = new MutableTestClock();
        UploadService service = service(b -> b.hook(CreationLimit.perCaller(
                2,
                Duration.ofMinutes(1),
                context -> context.principal().map(p -> p.getName()).orElse("-"),
                clock)));
        RequestContext alice = RequestContext.of(() -> "alice");
        RequestContext bob = RequestContext.of(() -> "bob");
        service.initUpload(request(10).build(), alice);
        clock.advance(Duration.ofSeconds(20));
        service.initUpload(request(10).build(), alice);
        assertThatThrownBy(() -> service.initUpload(request(10).build(), alice))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_UPLOADS);
                    assertThat((Long) e.details().get("retryAfterSeconds")).isBetween(1L, 41L);
                });
        service.initUpload(request(10).build(), bob);
        clock.advance(Duration.ofSeconds(41));
        service.initUpload(request(10).build(), alice);
        assertCode(() -> service.initUpload(request(10).build(), alice), ErrorCode.TOO_MANY_UPLOADS);
    }

    @Test
    void concatenateWhenAPartIsNamedTwiceOrThePartsExceedTheMaximumThenRefusedAndNothingCreated() {
        UploadService service = service(b -> b.maxFileSize(10 * KIB));
        String part = appendAll(service, random(6000));
        int before = store.findExpired(Instant.MAX, 100).size();
        assertCode(
                () -> service.appends()
                        .concatenate(
                                InitUploadRequest.builder().build(),
                                List.of(part, part),
                                Map.of(),
                                RequestContext.none()),
                ErrorCode.INVALID_REQUEST);
        String other = appendAll(service, random(6000));
        assertCode(
                () -> service.appends()
                        .concatenate(
                                InitUploadRequest.builder().build(),
                                List.of(part, other),
                                Map.of(),
                                RequestContext.none()),
                ErrorCode.FILE_TOO_LARGE);
        assertThat(store.findExpired(Instant.MAX, 100)).hasSize(before + 1);
    }

    private static final class StallingStream extends InputStream {
        @Override
        public int read() throws IOException {
            return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                new CountDownLatch(1).await();
                throw new IOException("unreachable");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read interrupted");
            }
        }
    }

    /** A stream that signals when it is first read and then blocks until released. */
    private static final class GatedStream extends InputStream {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayInputStream bytes;

        GatedStream(byte[] bytes) {
            this.bytes = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            started.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return bytes.read(b, off, len);
        }
    }

    @Test
    void appendWhenCompletingFailsThenTheNextStatusCompletesTheUpload() {
        AtomicBoolean failing = new AtomicBoolean(true);
        StorageDriver completeFails = new DelegatingDriver(driver) {
            @Override
            public StorageLocation complete(StorageUpload upload) throws IOException {
                if (failing.get()) {
                    throw new IOException("backend down (simulated)");
                }
                return super.complete(upload);
            }
        };
        UploadService service = service(b -> b.storage(completeFails));
        byte[] bytes = random(5000);
        String id = service.appends()
                .initUpload(request(bytes.length).build(), Map.of(), RequestContext.none())
                .uploadId();
        assertThatThrownBy(() -> service.appends()
                        .append(
                                AppendRequest.of(id, 0, bytes.length, new ByteArrayInputStream(bytes)),
                                RequestContext.none()))
                .isInstanceOfSatisfying(
                        TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR));
        failing.set(false);
        AppendStatus status = service.appends().getStatus(id, RequestContext.none());
        assertThat(status.session().state()).isEqualTo(UploadState.COMPLETED);
        assertThat(driver.read(status.location().orElseThrow())).contains(bytes);
        assertThat(events).extracting(UploadEvent::type).containsOnlyOnce(UploadEvent.Type.COMPLETED);
    }

    @Test
    void concatenateWhenAPartCannotBeReadThenTheUploadWaitsAndStatusResumesAfterTheCopiedParts() {
        AtomicInteger opens = new AtomicInteger();
        StorageDriver secondOpenFails = new DelegatingDriver(driver) {
            @Override
            public InputStream open(StorageLocation location) throws IOException {
                if (opens.incrementAndGet() == 2) {
                    throw new IOException("part unreadable (simulated)");
                }
                return super.open(location);
            }
        };
        UploadService service = service(b -> b.storage(secondOpenFails));
        byte[] first = random(3000);
        byte[] second = random(4000);
        String a = appendAll(service, first);
        String b = appendAll(service, second);
        AppendStatus pending = service.appends()
                .concatenate(InitUploadRequest.builder().build(), List.of(a, b), Map.of(), RequestContext.none());
        assertThat(pending.session().state().isActive()).isTrue();
        AppendStatus done = service.appends().getStatus(pending.uploadId(), RequestContext.none());
        assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(driver.read(done.location().orElseThrow())).contains(both);
        assertThat(opens.get()).isEqualTo(3);
    }

    private static String appendAll(UploadService service, byte[] bytes) {
        String id = service.appends()
                .initUpload(request(bytes.length).build(), Map.of(), RequestContext.none())
                .uploadId();
        service.appends()
                .append(AppendRequest.of(id, 0, bytes.length, new ByteArrayInputStream(bytes)), RequestContext.none());
        return id;
    }

    private static final class MutableTestClock extends Clock {
        private volatile Instant now = Instant.parse("2030-06-01T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
