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
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
public abstract class UploadServiceCompatibilityKit extends ChunkedUploadsKitGroups {

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
