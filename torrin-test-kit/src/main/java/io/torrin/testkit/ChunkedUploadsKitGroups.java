/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.core.UploadStatus;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The groups of {@link UploadServiceCompatibilityKit} for chunked uploads (whole uploads, rejected chunks, file hashes, finished uploads, expiry); subclass the kit, not this class.
 */
public abstract class ChunkedUploadsKitGroups extends UploadServiceKitSupport {

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
}
