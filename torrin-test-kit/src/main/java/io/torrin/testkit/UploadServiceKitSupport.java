/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.BodyChecksum;
import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadService;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.UploadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture and helpers of {@link UploadServiceCompatibilityKit}: the service under test, its driver and store,
 * the clock, and the helpers the groups share. The kit is spread over this class, {@link ChunkedUploadsKitGroups}
 * and the kit itself only to keep each file small; subclass {@link UploadServiceCompatibilityKit}.
 */
public abstract class UploadServiceKitSupport {

    /** The upload lifetime the kit configures. */
    protected static final Duration TTL = Duration.ofHours(1);

    /** The clock the service runs on; tests move it. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    /** Every event the service published, in order (delivered on the calling thread). */
    protected final List<UploadEvent> events = new CopyOnWriteArrayList<>();
    /** The driver under test. */
    protected StorageDriver driver;
    /** The store under test. */
    protected UploadStore store;
    /** The service under test. */
    protected UploadService service;

    /**
     * Creates the storage driver. Called before each test.
     *
     * @return the driver
     * @throws Exception if it cannot be created
     */
    protected abstract StorageDriver createDriver() throws Exception;

    /**
     * Creates an empty store. Called before each test.
     *
     * @return the store
     * @throws Exception if it cannot be created
     */
    protected abstract UploadStore createStore() throws Exception;

    /**
     * Reads a completed file back from the backend.
     *
     * @param location a location the driver returned
     * @return the file's bytes; the kit closes the stream
     * @throws IOException if it cannot be read
     */
    protected abstract InputStream openCompleted(StorageLocation location) throws IOException;

    @BeforeEach
    void startService() throws Exception {
        driver = createDriver();
        store = createStore();
        service = UploadService.builder()
                .storage(driver)
                .store(store)
                .clock(clock)
                .uploadTtl(TTL)
                .finishedRetention(TTL)
                .lockTimeout(Duration.ofSeconds(30))
                .sweepInterval(Duration.ZERO)
                .eventExecutor(Runnable::run)
                .listener(events::add)
                .build();
    }

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * Starts an upload of a file, asking for {@link #chunkSize()}.
     *
     * @param file the file
     * @return the session
     */
    protected UploadSession init(byte[] file) {
        return service.initUpload(InitUploadRequest.builder()
                .fileName("kit.bin")
                .fileSize(file.length)
                .mimeType("application/octet-stream")
                .desiredChunkSize(chunkSize())
                .build());
    }

    /**
     * Sends one chunk of a file with its SHA-256.
     *
     * @param session the upload
     * @param file the file
     * @param index the chunk index
     * @return the result
     */
    protected ChunkResult send(UploadSession session, byte[] file, int index) {
        byte[] chunk = TestFiles.chunk(file, session.chunkSize(), index);
        return service.handleChunk(ChunkRequest.of(
                session.uploadId(), index, chunk.length, new ByteArrayInputStream(chunk), TestFiles.sha256(chunk)));
    }

    /**
     * Returns a file size of a few chunks with a short last chunk, for the driver's smallest chunk size.
     *
     * @param chunks how many chunks
     * @return the size in bytes
     */
    protected int fileSize(int chunks) {
        return (int) (chunkSize() * (chunks - 1) + chunkSize() / 3);
    }

    /**
     * Tells whether the storage can verify a whole-file SHA-256 before completion: whether the driver implements
     * {@link StagedReadableStorage} (S3 does not, and answers such a hash with {@code INVALID_REQUEST}).
     *
     * @return whether whole-file hashes are supported
     */
    final boolean wholeFileHashSupported() {
        return driver instanceof StagedReadableStorage;
    }

    /**
     * Returns the chunk size the kit asks for: 256 KiB, or the driver's minimum if that is larger.
     *
     * @return the chunk size in bytes
     */
    protected long chunkSize() {
        return Math.max(256 * 1024, driver.constraints().minChunkSize());
    }

    String storedSha256(CompleteResult result) throws IOException {
        return TestFiles.sha256(openCompleted(result.location()));
    }

    static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TorrinException.class,
                        e -> assertThat(e.code()).as(e.toString()).isEqualTo(code));
    }

    List<UploadEvent.Type> eventTypes() {
        return events.stream().map(UploadEvent::type).toList();
    }

    void assertStorageGone(UploadSession session) {
        byte[] one = new byte[(int) session.expectedChunkSize(0)];
        assertThatThrownBy(() -> driver.writeChunk(new ChunkWrite(
                        new StorageUpload(
                                session,
                                store.find(session.uploadId())
                                        .map(r -> r.storageState())
                                        .orElse(Map.of())),
                        0,
                        0,
                        one.length,
                        Optional.empty(),
                        new ByteArrayInputStream(one))))
                .isInstanceOf(IOException.class);
    }

    /**
     * Tells whether the driver keeps the bytes of an append whose body broke off mid-way (local disk, memory and S3
     * do; a driver that can only store whole pieces would not). Default {@code true}.
     *
     * @return whether every received byte of a broken-off append counts
     */
    protected boolean keepsBrokenOffAppends() {
        return true;
    }

    AppendStatus initAppend(OptionalLong size) {
        InitUploadRequest.Builder request = InitUploadRequest.builder()
                .fileName("append.bin")
                .mimeType("application/octet-stream")
                .desiredChunkSize(chunkSize());
        size.ifPresent(request::fileSize);
        return service.appends().initUpload(request.build(), Map.of("kit", "yes"), RequestContext.none());
    }

    AppendStatus append(
            String id, byte[] file, long from, long to, OptionalLong declaredSize, Optional<BodyChecksum> checksum) {
        byte[] part = Arrays.copyOfRange(file, (int) from, (int) to);
        return service.appends()
                .append(
                        new AppendRequest(
                                id,
                                from,
                                OptionalLong.of(part.length),
                                declaredSize,
                                checksum,
                                new ByteArrayInputStream(part)),
                        RequestContext.none());
    }

    AppendStatus append(String id, byte[] file, long from, long to) {
        return append(id, file, from, to, OptionalLong.empty(), Optional.empty());
    }

    static BodyChecksum sha1(byte[] file, long from, long to) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        digest.update(file, (int) from, (int) (to - from));
        return BodyChecksum.of("SHA-1", digest.digest());
    }

    long offsetOf(String id) {
        return service.appends().getStatus(id, RequestContext.none()).offset();
    }
}
