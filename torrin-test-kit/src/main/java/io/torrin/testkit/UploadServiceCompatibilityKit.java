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
import io.torrin.core.UploadState;
import io.torrin.core.UploadStatus;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadService;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.UploadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end contract of {@link UploadService} on a given driver and store: what a user of the direct Java
 * API relies on, with random data and SHA-256 comparisons throughout. A backend pair runs it with a short
 * subclass:
 *
 * <pre>{@code
 * class LocalFileServiceTest extends UploadServiceCompatibilityKit {
 *     protected StorageDriver createDriver() { return LocalStorageDriver.create(dir); }
 *     protected UploadStore createStore() { return FileUploadStore.create(dir.resolve(".torrin")); }
 *     protected InputStream openCompleted(StorageLocation l) { return Files.newInputStream(driver.resolve(l)); }
 * }
 * }</pre>
 */
public abstract class UploadServiceCompatibilityKit {

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
     * Tells whether the storage can verify a whole-file SHA-256 before completion
     * ({@link StorageDriver#openStaged}). Default {@code true}; S3 answers such a hash with
     * {@code INVALID_REQUEST}.
     *
     * @return whether whole-file hashes are supported
     */
    protected boolean wholeFileHashSupported() {
        return true;
    }

    /**
     * Returns the chunk size the kit asks for: 256 KiB, or the driver's minimum if that is larger.
     *
     * @return the chunk size in bytes
     */
    protected long chunkSize() {
        return Math.max(256 * 1024, driver.constraints().minChunkSize());
    }

    private String storedSha256(CompleteResult result) throws IOException {
        return TestFiles.sha256(openCompleted(result.location()));
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TorrinException.class,
                        e -> assertThat(e.code()).as(e.toString()).isEqualTo(code));
    }

    private List<UploadEvent.Type> eventTypes() {
        return events.stream().map(UploadEvent::type).toList();
    }

    @Nested
    @DisplayName("a whole upload")
    class WholeUpload {

        @Test
        @DisplayName("chunks sent from 8 threads in random order complete to the exact bytes")
        void parallel() throws Exception {
            byte[] file = TestFiles.randomBytes(fileSize(24));
            UploadSession session = init(file);
            assertThat(session.totalChunks()).isEqualTo(24);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < session.totalChunks(); i++) {
                order.add(i);
            }
            Collections.shuffle(order);
            Concurrently.run(8, worker -> {
                for (int i = worker; i < order.size(); i += 8) {
                    assertThat(send(session, file, order.get(i)).alreadyReceived())
                            .isFalse();
                }
                return null;
            });
            UploadStatus status = service.getStatus(session.uploadId());
            assertThat(status.missingChunks()).isEmpty();
            assertThat(status.receivedChunks()).hasSize(24);
            assertThat(status.state()).isEqualTo(UploadState.IN_PROGRESS);
            CompleteResult result = service.completeUpload(
                    session.uploadId(),
                    wholeFileHashSupported() ? Optional.of(TestFiles.sha256(file)) : Optional.empty(),
                    RequestContext.none());
            assertThat(result.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(storedSha256(result)).isEqualTo(TestFiles.sha256(file));
            assertThat(eventTypes())
                    .startsWith(UploadEvent.Type.CREATED)
                    .endsWith(UploadEvent.Type.COMPLETED)
                    .filteredOn(t -> t == UploadEvent.Type.CHUNK_RECEIVED)
                    .hasSize(24);
        }

        @Test
        @DisplayName("a re-sent chunk is acknowledged again and the stored bytes are kept")
        void resend() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            UploadSession session = init(file);
            send(session, file, 1);
            assertThat(send(session, file, 1).alreadyReceived()).isTrue();
            byte[] other = TestFiles.randomBytes((int) session.chunkSize());
            ChunkResult impostor = service.handleChunk(
                    ChunkRequest.of(session.uploadId(), 1, other.length, new ByteArrayInputStream(other)));
            assertThat(impostor.alreadyReceived()).isTrue();
            send(session, file, 0);
            send(session, file, 2);
            assertThat(storedSha256(service.completeUpload(session.uploadId()))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("completing with chunks missing fails with MISSING_CHUNKS listing them")
        void missing() {
            byte[] file = TestFiles.randomBytes(fileSize(4));
            UploadSession session = init(file);
            send(session, file, 0);
            send(session, file, 2);
            assertThatThrownBy(() -> service.completeUpload(session.uploadId()))
                    .isInstanceOfSatisfying(TorrinException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_CHUNKS);
                        assertThat(e.details()).containsEntry("missingChunks", List.of(1, 3));
                    });
        }

        @Test
        @DisplayName("8 concurrent completes finalize exactly once; the others hear UPLOAD_ALREADY_COMPLETED")
        void concurrentCompletes() throws Exception {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            UploadSession session = init(file);
            for (int i = 0; i < 3; i++) {
                send(session, file, i);
            }
            List<Concurrently.Outcome<CompleteResult>> outcomes =
                    Concurrently.outcomes(8, worker -> service.completeUpload(session.uploadId()));
            List<CompleteResult> successes = outcomes.stream()
                    .filter(o -> o.failure() == null)
                    .map(Concurrently.Outcome::result)
                    .toList();
            assertThat(successes).hasSize(1);
            assertThat(outcomes)
                    .filteredOn(o -> o.failure() != null)
                    .hasSize(7)
                    .allSatisfy(o -> assertThat(((TorrinException) o.failure()).code())
                            .isEqualTo(ErrorCode.UPLOAD_ALREADY_COMPLETED));
            assertThat(eventTypes())
                    .filteredOn(t -> t == UploadEvent.Type.COMPLETED)
                    .hasSize(1);
            assertThat(storedSha256(successes.get(0))).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Nested
    @DisplayName("rejected chunks are never recorded")
    class RejectedChunks {

        @Test
        @DisplayName("a chunk whose SHA-256 does not match fails with CHUNK_HASH_MISMATCH and is not recorded")
        void hashMismatch() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), 0);
            assertCode(
                    () -> service.handleChunk(ChunkRequest.of(
                            session.uploadId(),
                            0,
                            chunk.length,
                            new ByteArrayInputStream(chunk),
                            TestFiles.sha256(new byte[] {1}))),
                    ErrorCode.CHUNK_HASH_MISMATCH);
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
            send(session, file, 0);
            send(session, file, 1);
            assertThat(storedSha256(service.completeUpload(session.uploadId()))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a body that breaks off midway is not recorded and the upload resumes")
        void interrupted() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), 0);
            byte[] half = Arrays.copyOf(chunk, chunk.length / 2);
            assertCode(
                    () -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, chunk.length, TestFiles.failingAfter(half))),
                    ErrorCode.CHUNK_SIZE_MISMATCH);
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
            assertThat(eventTypes()).doesNotContain(UploadEvent.Type.CHUNK_RECEIVED);
            send(session, file, 1);
            send(session, file, 0);
            assertThat(storedSha256(service.completeUpload(session.uploadId()))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a body shorter or longer than declared fails with CHUNK_SIZE_MISMATCH and is not recorded")
        void wrongLength() {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), 0);
            byte[] shorter = Arrays.copyOf(chunk, chunk.length - 1);
            byte[] longer = Arrays.copyOf(chunk, chunk.length + 1);
            assertCode(
                    () -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, chunk.length, new ByteArrayInputStream(shorter))),
                    ErrorCode.CHUNK_SIZE_MISMATCH);
            assertCode(
                    () -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, chunk.length, new ByteArrayInputStream(longer))),
                    ErrorCode.CHUNK_SIZE_MISMATCH);
            assertCode(
                    () -> service.handleChunk(ChunkRequest.of(
                            session.uploadId(), 0, chunk.length - 1, new ByteArrayInputStream(shorter))),
                    ErrorCode.CHUNK_SIZE_MISMATCH);
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
        }

        @Test
        @DisplayName("a failed re-send never damages the chunk stored before")
        void failedResendKeepsChunk() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            send(session, file, 0);
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), 0);
            byte[] garbage = TestFiles.randomBytes(chunk.length / 3);
            assertCode(
                    () -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, chunk.length, TestFiles.failingAfter(garbage))),
                    ErrorCode.CHUNK_SIZE_MISMATCH);
            send(session, file, 1);
            assertThat(storedSha256(service.completeUpload(session.uploadId()))).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Nested
    @DisplayName("whole-file hash")
    class FileHash {

        @Test
        @DisplayName("a wrong whole-file hash fails with FILE_HASH_MISMATCH and the upload stays completable "
                + "(or, where unsupported, any whole-file hash is INVALID_REQUEST and nothing changes)")
        void mismatchThenFixed() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            send(session, file, 0);
            send(session, file, 1);
            if (!wholeFileHashSupported()) {
                assertCode(
                        () -> service.completeUpload(session.uploadId(), TestFiles.sha256(file)),
                        ErrorCode.INVALID_REQUEST);
                assertThat(storedSha256(service.completeUpload(session.uploadId())))
                        .isEqualTo(TestFiles.sha256(file));
                return;
            }
            assertCode(
                    () -> service.completeUpload(session.uploadId(), TestFiles.sha256(new byte[0])),
                    ErrorCode.FILE_HASH_MISMATCH);
            assertThat(service.getStatus(session.uploadId()).state()).isEqualTo(UploadState.IN_PROGRESS);
            CompleteResult result = service.completeUpload(
                    session.uploadId(), "sha256:" + TestFiles.sha256(file).toUpperCase(Locale.ROOT));
            assertThat(storedSha256(result)).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Nested
    @DisplayName("finished uploads")
    class Finished {

        @Test
        @DisplayName("after abort, chunks and completes fail with UPLOAD_CANCELED and storage is discarded")
        void abort() {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            UploadSession session = init(file);
            send(session, file, 0);
            service.abortUpload(session.uploadId());
            service.abortUpload(session.uploadId());
            assertCode(() -> send(session, file, 1), ErrorCode.UPLOAD_CANCELED);
            assertCode(() -> service.completeUpload(session.uploadId()), ErrorCode.UPLOAD_CANCELED);
            assertThat(service.getStatus(session.uploadId()).state()).isEqualTo(UploadState.CANCELED);
            assertThat(eventTypes())
                    .filteredOn(t -> t == UploadEvent.Type.ABORTED)
                    .hasSize(1);
            assertStorageGone(session);
        }

        @Test
        @DisplayName("after complete, chunks, completes and aborts fail with UPLOAD_ALREADY_COMPLETED")
        void afterComplete() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(1));
            UploadSession session = init(file);
            send(session, file, 0);
            CompleteResult result = service.completeUpload(session.uploadId());
            assertCode(() -> send(session, file, 0), ErrorCode.UPLOAD_ALREADY_COMPLETED);
            assertCode(() -> service.completeUpload(session.uploadId()), ErrorCode.UPLOAD_ALREADY_COMPLETED);
            assertCode(() -> service.abortUpload(session.uploadId()), ErrorCode.UPLOAD_ALREADY_COMPLETED);
            assertThat(service.getStatus(session.uploadId()).state()).isEqualTo(UploadState.COMPLETED);
            assertThat(storedSha256(result)).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {

        @Test
        @DisplayName("activity extends the expiry; the sweep then aborts the idle upload in storage and forgets it")
        void sweep() {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            UploadSession session = init(file);
            assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(TTL));
            send(session, file, 0);
            clock.advance(Duration.ofMinutes(40));
            send(session, file, 1);
            clock.advance(Duration.ofMinutes(40));
            assertThat(service.sweepExpired()).isZero();
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).containsExactly(0, 1);
            clock.advance(Duration.ofMinutes(21));
            assertCode(() -> service.getStatus(session.uploadId()), ErrorCode.UPLOAD_NOT_FOUND);
            assertThat(service.sweepExpired()).isEqualTo(1);
            assertThat(store.find(session.uploadId())).isEmpty();
            assertThat(eventTypes()).endsWith(UploadEvent.Type.EXPIRED);
            assertStorageGone(session);
            assertThat(service.sweepExpired()).isZero();
        }

        @Test
        @DisplayName("the sweep forgets completed uploads after their retention but keeps their files")
        void completedRetention() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(1));
            UploadSession session = init(file);
            send(session, file, 0);
            CompleteResult result = service.completeUpload(session.uploadId());
            clock.advance(TTL.plusSeconds(1));
            assertThat(service.sweepExpired()).isEqualTo(1);
            assertCode(() -> service.getStatus(session.uploadId()), ErrorCode.UPLOAD_NOT_FOUND);
            assertThat(eventTypes()).doesNotContain(UploadEvent.Type.EXPIRED);
            assertThat(storedSha256(result)).isEqualTo(TestFiles.sha256(file));
        }
    }

    private void assertStorageGone(UploadSession session) {
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

    private AppendStatus initAppend(OptionalLong size) {
        InitUploadRequest.Builder request = InitUploadRequest.builder()
                .fileName("append.bin")
                .mimeType("application/octet-stream")
                .desiredChunkSize(chunkSize());
        size.ifPresent(request::fileSize);
        return service.appends().initUpload(request.build(), Map.of("kit", "yes"), RequestContext.none());
    }

    private AppendStatus append(
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

    private AppendStatus append(String id, byte[] file, long from, long to) {
        return append(id, file, from, to, OptionalLong.empty(), Optional.empty());
    }

    private static BodyChecksum sha1(byte[] file, long from, long to) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        digest.update(file, (int) from, (int) (to - from));
        return BodyChecksum.of("SHA-1", digest.digest());
    }

    private long offsetOf(String id) {
        return service.appends().getStatus(id, RequestContext.none()).offset();
    }

    @Nested
    @DisplayName("append uploads (tus)")
    class AppendUploads {

        @Test
        @DisplayName("appends of odd sizes across chunk boundaries complete to the exact bytes")
        void oddSizes() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            AppendStatus status = initAppend(OptionalLong.of(file.length));
            String id = status.uploadId();
            assertThat(status.offset()).isZero();
            long[] cuts = {0, 1, 1001, chunkSize() - 5, chunkSize() + 70_000, 2 * chunkSize() + 1, file.length};
            for (int i = 1; i < cuts.length; i++) {
                status = append(id, file, cuts[i - 1], cuts[i]);
                assertThat(status.offset()).isEqualTo(cuts[i]);
            }
            assertThat(status.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(TestFiles.sha256(openCompleted(status.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
            assertThat(service.getStatus(id).receivedChunks()).hasSize(3);
            assertThat(eventTypes())
                    .startsWith(UploadEvent.Type.CREATED)
                    .endsWith(UploadEvent.Type.COMPLETED)
                    .filteredOn(t -> t == UploadEvent.Type.CHUNK_RECEIVED)
                    .hasSize(3);
        }

        @Test
        @DisplayName("a wrong offset is refused with the current one and changes nothing")
        void wrongOffset() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            String id = initAppend(OptionalLong.of(file.length)).uploadId();
            append(id, file, 0, 1000);
            assertThatThrownBy(() -> append(id, file, 999, 2000)).isInstanceOfSatisfying(TorrinException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_MISMATCH);
                assertThat(e.details()).containsEntry("offset", 1000L);
            });
            assertThat(offsetOf(id)).isEqualTo(1000);
            AppendStatus done = append(id, file, 1000, file.length);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a checksum mismatch across a chunk boundary keeps the offset; the right bytes then count")
        void checksum() throws Exception {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            String id = initAppend(OptionalLong.of(file.length)).uploadId();
            long cut = chunkSize() + 12_345;
            append(id, file, 0, 10);
            byte[] forged = file.clone();
            forged[(int) cut - 1] ^= 1;
            BodyChecksum right = sha1(file, 10, cut);
            assertThatThrownBy(() -> append(id, forged, 10, cut, OptionalLong.empty(), Optional.of(right)))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_HASH_MISMATCH));
            assertThat(offsetOf(id)).isEqualTo(10);
            assertThat(append(id, file, 10, cut, OptionalLong.empty(), Optional.of(right))
                            .offset())
                    .isEqualTo(cut);
            AppendStatus done =
                    append(id, file, cut, file.length, OptionalLong.empty(), Optional.of(sha1(file, cut, file.length)));
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a broken-off body never counts more than arrived, and the upload resumes from the offset")
        void brokenOff() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(3));
            String id = initAppend(OptionalLong.of(file.length)).uploadId();
            int arrived = (int) (chunkSize() + chunkSize() / 2);
            AppendStatus status = service.appends()
                    .append(
                            new AppendRequest(
                                    id,
                                    0,
                                    OptionalLong.of(file.length),
                                    OptionalLong.empty(),
                                    Optional.empty(),
                                    TestFiles.failingAfter(Arrays.copyOf(file, arrived))),
                            RequestContext.none());
            long offset = offsetOf(id);
            assertThat(status.offset()).isEqualTo(offset);
            assertThat(offset).isBetween(keepsBrokenOffAppends() ? arrived : 0L, (long) arrived);
            AppendStatus done = append(id, file, offset, file.length);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a size declared by a later append is kept and completes the upload")
        void deferredSize() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            AppendStatus created = initAppend(OptionalLong.empty());
            String id = created.uploadId();
            assertThat(created.session().fileSize().isPresent()).isFalse();
            append(id, file, 0, 5000);
            assertCode(
                    () -> append(id, file, 5000, 6000, OptionalLong.of(4999), Optional.empty()),
                    ErrorCode.INVALID_REQUEST);
            AppendStatus done = append(id, file, 5000, file.length, OptionalLong.of(file.length), Optional.empty());
            assertThat(done.session().fileSize()).hasValue(file.length);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a size declared by an empty append, after bytes of unknown total, completes the upload")
        void sizeDeclaredByAnEmptyAppend() throws IOException {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            String id = initAppend(OptionalLong.empty()).uploadId();
            append(id, file, 0, 1000);
            append(id, file, 1000, file.length);
            assertThat(offsetOf(id)).isEqualTo(file.length);
            AppendStatus done = service.appends()
                    .append(
                            AppendRequest.of(id, file.length, 0, new ByteArrayInputStream(new byte[0]))
                                    .withDeclaredFileSize(file.length),
                            RequestContext.none());
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("empty parts concatenate into an empty file")
        void emptyParts() throws IOException {
            String first = initAppend(OptionalLong.of(0)).uploadId();
            String second = initAppend(OptionalLong.of(0)).uploadId();
            AppendStatus done = service.appends()
                    .concatenate(
                            InitUploadRequest.builder().build(),
                            List.of(first, second),
                            Map.of(),
                            RequestContext.none());
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(done.session().fileSize()).hasValue(0);
            assertThat(openCompleted(done.location().orElseThrow()).readAllBytes())
                    .isEmpty();
        }

        @Test
        @DisplayName("an empty upload is completed at creation")
        void empty() throws IOException {
            AppendStatus status = initAppend(OptionalLong.of(0));
            assertThat(status.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(openCompleted(status.location().orElseThrow()).readAllBytes())
                    .isEmpty();
        }

        @Test
        @DisplayName("bytes past the size are refused and nothing of them counts")
        void pastSize() {
            byte[] file = TestFiles.randomBytes(2000);
            String id = initAppend(OptionalLong.of(1000)).uploadId();
            assertCode(() -> append(id, file, 0, 1001), ErrorCode.PAYLOAD_TOO_LARGE);
            assertCode(
                    () -> service.appends()
                            .append(
                                    new AppendRequest(
                                            id,
                                            0,
                                            OptionalLong.empty(),
                                            OptionalLong.empty(),
                                            Optional.empty(),
                                            new ByteArrayInputStream(file)),
                                    RequestContext.none()),
                    ErrorCode.PAYLOAD_TOO_LARGE);
            assertThat(offsetOf(id)).isZero();
        }

        @Test
        @DisplayName("concatenation copies finished parts in order; an unfinished one is waited for")
        void concatenation() throws IOException {
            byte[] a = TestFiles.randomBytes(fileSize(2));
            byte[] b = TestFiles.randomBytes(12_345);
            String partA = initAppend(OptionalLong.of(a.length)).uploadId();
            String partB = initAppend(OptionalLong.of(b.length)).uploadId();
            append(partA, a, 0, a.length);
            AppendStatus unfinished = service.appends()
                    .concatenate(
                            InitUploadRequest.builder().fileName("all.bin").build(),
                            List.of(partA, partB),
                            Map.of(),
                            RequestContext.none());
            assertThat(unfinished.session().fileSize().isPresent()).isFalse();
            assertThat(unfinished.isFinished()).isFalse();
            assertCode(() -> append(unfinished.uploadId(), a, 0, 10), ErrorCode.FORBIDDEN);
            append(partB, b, 0, b.length);
            AppendStatus done = service.appends().getStatus(unfinished.uploadId(), RequestContext.none());
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(done.offset()).isEqualTo(a.length + b.length);
            byte[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(both));
            AppendStatus again = service.appends()
                    .concatenate(
                            InitUploadRequest.builder().build(),
                            List.of(partB, partA),
                            Map.of(),
                            RequestContext.none());
            assertThat(again.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(again.session().fileSize()).hasValue(a.length + b.length);
            assertCode(
                    () -> service.appends()
                            .concatenate(
                                    InitUploadRequest.builder().build(),
                                    List.of(partA, "unknownunknownunknown"),
                                    Map.of(),
                                    RequestContext.none()),
                    ErrorCode.INVALID_REQUEST);
        }

        @Test
        @DisplayName("a concatenation whose part is terminated before it completes is canceled, its copy discarded")
        void concatenationOfATerminatedPart() throws IOException {
            byte[] a = TestFiles.randomBytes(fileSize(2));
            String partA = initAppend(OptionalLong.of(a.length)).uploadId();
            String partB = initAppend(OptionalLong.of(5000)).uploadId();
            append(partA, a, 0, a.length);
            AppendStatus unfinished = service.appends()
                    .concatenate(
                            InitUploadRequest.builder().build(),
                            List.of(partA, partB),
                            Map.of(),
                            RequestContext.none());
            assertThat(unfinished.session().state().isActive()).isTrue();
            service.appends().terminateUpload(partB, RequestContext.none());
            AppendStatus canceled = service.appends().getStatus(unfinished.uploadId(), RequestContext.none());
            assertThat(canceled.session().state()).isEqualTo(UploadState.CANCELED);
            assertThat(canceled.location()).isEmpty();
            assertThat(events)
                    .filteredOn(e -> e.session().uploadId().equals(unfinished.uploadId()))
                    .extracting(UploadEvent::type)
                    .containsExactly(UploadEvent.Type.CREATED, UploadEvent.Type.ABORTED);
            assertThat(service.appends()
                            .getStatus(unfinished.uploadId(), RequestContext.none())
                            .session()
                            .state())
                    .isEqualTo(UploadState.CANCELED);
            assertThat(service.appends()
                            .getStatus(partA, RequestContext.none())
                            .session()
                            .state())
                    .as("the other part is untouched")
                    .isEqualTo(UploadState.COMPLETED);
        }

        @Test
        @DisplayName("append and chunk protocols do not mix")
        void protocolsDoNotMix() {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            String appendId = initAppend(OptionalLong.of(file.length)).uploadId();
            assertCode(
                    () -> service.handleChunk(ChunkRequest.of(appendId, 0, 10, new ByteArrayInputStream(new byte[10]))),
                    ErrorCode.INVALID_REQUEST);
            UploadSession chunked = init(file);
            assertCode(() -> append(chunked.uploadId(), file, 0, 10), ErrorCode.INVALID_REQUEST);
            assertCode(
                    () -> service.appends().getStatus(chunked.uploadId(), RequestContext.none()),
                    ErrorCode.INVALID_REQUEST);
        }

        @Test
        @DisplayName("an interrupted append ends at its next read and keeps what it stored")
        void interrupted() throws Exception {
            byte[] file = TestFiles.randomBytes(fileSize(2));
            String id = initAppend(OptionalLong.of(file.length)).uploadId();
            int first = 70_000;
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InputStream stalling = new InputStream() {
                private int position;

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (position == first) {
                        reading.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    int n = Math.min(length, (position < first ? first : file.length) - position);
                    System.arraycopy(file, position, buffer, offset, n);
                    position += n;
                    return n;
                }
            };
            List<Concurrently.Outcome<AppendStatus>> outcomes = Concurrently.outcomes(2, worker -> {
                if (worker == 0) {
                    return service.appends()
                            .append(
                                    new AppendRequest(
                                            id,
                                            0,
                                            OptionalLong.empty(),
                                            OptionalLong.empty(),
                                            Optional.empty(),
                                            stalling),
                                    RequestContext.none());
                }
                assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(service.appends().interruptAppend(id, RequestContext.none()))
                        .isTrue();
                release.countDown();
                return null;
            });
            assertThat(outcomes.get(1).failure()).isNull();
            assertThat(outcomes.get(0).failure()).isNull();
            long offset = offsetOf(id);
            assertThat(offset).isLessThan(file.length);
            assertThat(offset).isEqualTo(outcomes.get(0).result().offset());
            assertThat(service.appends().interruptAppend(id, RequestContext.none()))
                    .isFalse();
            AppendStatus done = append(id, file, offset, file.length);
            assertThat(TestFiles.sha256(openCompleted(done.location().orElseThrow())))
                    .isEqualTo(TestFiles.sha256(file));
        }
    }
}
