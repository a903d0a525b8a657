/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StorageDriver} fulfils. A backend runs it with a short subclass that creates the
 * driver and reads a completed file back:
 *
 * <pre>{@code
 * class MyDriverCompatibilityTest extends StorageDriverCompatibilityKit {
 *     protected StorageDriver createDriver() { return new MyDriver(...); }
 *     protected InputStream openCompleted(StorageLocation location) { return ...; }
 * }
 * }</pre>
 *
 * Every content check compares SHA-256 of random data with what the backend holds. The kit also runs the groups
 * of the capabilities the driver declares: {@link AppendableStorage} (appends at offsets, including bodies that stop
 * part way), {@link StagedReadableStorage} (staged reads) and {@link io.torrin.server.spi.ReadableStorage} (reading
 * completed files back, in {@link StorageReadingKitGroups}).
 */
public abstract class StorageDriverCompatibilityKit extends StorageReadingKitGroups {

    @Test
    @DisplayName("the declared constraints are consistent")
    void constraints() {
        StorageConstraints constraints = driver.constraints();
        assertThat(constraints.minChunkSize()).isPositive().isLessThanOrEqualTo(constraints.maxChunkSize());
        assertThat(constraints.maxChunks()).isPositive();
        assertThat(constraints).isEqualTo(driver.constraints());
    }

    @Nested
    @DisplayName("writing and completing")
    class WritingAndCompleting {

        @Test
        @DisplayName("chunks written out of order, with a short last chunk, complete to exactly the uploaded bytes")
        void outOfOrder() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 3 + chunk / 3));
            StorageUpload upload = begin(session(file.length, chunk, "out-of-order.bin"));
            for (int index : new int[] {3, 1, 0, 2}) {
                write(upload, file, index);
            }
            StorageLocation location = driver.complete(upload);
            assertThat(completedSha256(location)).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("chunks of one upload written from 8 threads at once complete correctly")
        void parallel() throws Exception {
            long chunk = chunkSize();
            int chunks = 16;
            byte[] file = TestFiles.randomBytes((int) (chunk * (chunks - 1) + 12345));
            StorageUpload upload = begin(session(file.length, chunk, "parallel.bin"));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                order.add(i);
            }
            Collections.shuffle(order);
            Concurrently.run(8, worker -> {
                for (int i = worker; i < chunks; i += 8) {
                    write(upload, file, order.get(i));
                }
                return null;
            });
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a one-chunk file smaller than the minimum chunk size completes")
        void tinyFile() throws IOException {
            byte[] file = TestFiles.randomBytes(1000);
            StorageUpload upload = begin(session(file.length, chunkSize(), "tiny.txt"));
            write(upload, file, 0);
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a chunk written again with the same bytes leaves the file correct")
        void rewrite() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + 99));
            StorageUpload upload = begin(session(file.length, chunk, null));
            write(upload, file, 0);
            write(upload, file, 1);
            write(upload, file, 1);
            write(upload, file, 2);
            write(upload, file, 0);
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("a chunk that broke off and was written again in full leaves the file correct")
        void brokenThenRewritten() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + 5));
            StorageUpload upload = begin(session(file.length, chunk, null));
            byte[] first = TestFiles.chunk(file, chunk, 0);
            byte[] half = Arrays.copyOf(first, first.length / 2);
            assertThatThrownBy(() -> driver.writeChunk(
                            new ChunkWrite(upload, 0, 0, chunk, Optional.empty(), TestFiles.failingAfter(half))))
                    .isInstanceOf(IOException.class);
            write(upload, file, 0);
            write(upload, file, 1);
            write(upload, file, 2);
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("completing again returns the same location and leaves the file unchanged")
        void completeIdempotent() throws IOException {
            byte[] file = TestFiles.randomBytes(5000);
            StorageUpload upload = begin(session(file.length, chunkSize(), "again.bin"));
            write(upload, file, 0);
            StorageLocation first = driver.complete(upload);
            StorageLocation second = driver.complete(upload);
            assertThat(second).isEqualTo(first);
            assertThat(completedSha256(second)).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("two uploads written interleaved do not mix")
        void isolation() throws IOException {
            long chunk = chunkSize();
            byte[] a = TestFiles.randomBytes((int) (chunk + 10));
            byte[] b = TestFiles.randomBytes((int) (chunk + 20));
            StorageUpload ua = begin(session(a.length, chunk, "same-name.bin"));
            StorageUpload ub = begin(session(b.length, chunk, "same-name.bin"));
            write(ua, a, 1);
            write(ub, b, 0);
            write(ua, a, 0);
            write(ub, b, 1);
            StorageLocation la = driver.complete(ua);
            StorageLocation lb = driver.complete(ub);
            assertThat(la).isNotEqualTo(lb);
            assertThat(completedSha256(la)).isEqualTo(TestFiles.sha256(a));
            assertThat(completedSha256(lb)).isEqualTo(TestFiles.sha256(b));
        }

        @Test
        @DisplayName("staged bytes can be read before completion, if the driver supports it")
        void stagedRead() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + 1));
            StorageUpload upload = begin(session(file.length, chunk, null));
            for (int i = 0; i < 3; i++) {
                write(upload, file, i);
            }
            if (driver instanceof StagedReadableStorage staged) {
                assertThat(TestFiles.sha256(staged.openStaged(upload))).isEqualTo(TestFiles.sha256(file));
            }
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Nested
    @DisplayName("aborting")
    class Aborting {

        @Test
        @DisplayName("an aborted upload takes no more chunks and cannot be completed")
        void abort() throws IOException {
            byte[] file = TestFiles.randomBytes(3000);
            StorageUpload upload = begin(session(file.length, chunkSize(), null));
            write(upload, file, 0);
            driver.abort(upload);
            assertThatThrownBy(() -> write(upload, file, 0)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> driver.complete(upload)).isInstanceOf(IOException.class);
        }

        @Test
        @DisplayName("aborting twice, or aborting an upload that never wrote a byte, is fine")
        void abortIdempotent() throws IOException {
            StorageUpload upload = begin(session(100, chunkSize(), null));
            driver.abort(upload);
            driver.abort(upload);
        }
    }

    @Nested
    @DisplayName("appending (drivers that implement AppendableStorage)")
    class Appending {

        private AppendableStorage appendable;

        @BeforeEach
        void requireTheCapability() {
            assumeTrue(driver instanceof AppendableStorage, "the driver does not implement AppendableStorage");
            appendable = (AppendableStorage) driver;
        }

        private UploadSession appendSession(OptionalLong fileSize) {
            Instant now = Instant.now();
            long chunk = chunkSize();
            return new UploadSession(
                    UploadIds.generate(),
                    Optional.empty(),
                    fileSize,
                    "application/octet-stream",
                    Map.of(),
                    chunk,
                    UploadSession.chunkCount(fileSize, chunk),
                    UploadState.PENDING,
                    now,
                    now.plusSeconds(3600));
        }

        private long append(
                StorageUpload upload, long offset, OptionalLong fileSize, OptionalLong length, InputStream data)
                throws IOException {
            return appendable.append(new AppendWrite(upload, offset, fileSize, length, data));
        }

        private long append(StorageUpload upload, byte[] file, long from, long to) throws IOException {
            byte[] piece = Arrays.copyOfRange(file, (int) from, (int) to);
            return append(
                    upload,
                    from,
                    upload.session().fileSize(),
                    OptionalLong.of(piece.length),
                    new ByteArrayInputStream(piece));
        }

        @Test
        @DisplayName("appends of uneven sizes across chunk boundaries store every byte and complete to the file")
        void unevenPieces() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + chunk / 3));
            StorageUpload upload = begin(appendSession(OptionalLong.of(file.length)));
            long[] cuts = {0, 1000, chunk + 17, chunk * 2, file.length};
            for (int i = 0; i + 1 < cuts.length; i++) {
                assertThat(append(upload, file, cuts[i], cuts[i + 1])).isEqualTo(cuts[i + 1] - cuts[i]);
            }
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("an append whose body stops part way stores at most what arrived, and the upload resumes from"
                + " the count it returned")
        void stopsPartWay() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + 4321));
            StorageUpload upload = begin(appendSession(OptionalLong.of(file.length)));
            int arrived = (int) (chunk + chunk / 2);
            long stored = append(
                    upload,
                    0,
                    upload.session().fileSize(),
                    OptionalLong.of(file.length),
                    new ByteArrayInputStream(Arrays.copyOf(file, arrived)));
            assertThat(stored).isBetween(0L, (long) arrived);
            assertThat(append(upload, file, stored, file.length)).isEqualTo(file.length - stored);
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("bytes an unrecorded append left past the offset are overwritten by the next append")
        void unrecordedBytesAreOverwritten() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk * 2 + 99));
            StorageUpload upload = begin(appendSession(OptionalLong.of(file.length)));
            long recorded = append(upload, file, 0, chunk / 2);
            byte[] stray = TestFiles.randomBytes((int) chunk + 10);
            append(
                    upload,
                    recorded,
                    upload.session().fileSize(),
                    OptionalLong.of(stray.length),
                    new ByteArrayInputStream(stray));
            assertThat(append(upload, file, recorded, file.length)).isEqualTo(file.length - recorded);
            assertThat(completedSha256(driver.complete(upload))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("an upload of undeclared size takes bodies of unknown length and completes once the last"
                + " append declares the size")
        void deferredSizeAndUnknownLengths() throws IOException {
            long chunk = chunkSize();
            byte[] file = TestFiles.randomBytes((int) (chunk + 777));
            UploadSession session = appendSession(OptionalLong.empty());
            StorageUpload upload = begin(session);
            long first = append(
                    upload,
                    0,
                    OptionalLong.empty(),
                    OptionalLong.empty(),
                    new ByteArrayInputStream(Arrays.copyOf(file, 300)));
            assertThat(first).isEqualTo(300);
            long second = append(
                    upload,
                    first,
                    OptionalLong.empty(),
                    OptionalLong.empty(),
                    new ByteArrayInputStream(Arrays.copyOfRange(file, 300, (int) chunk)));
            assertThat(first + second).isEqualTo(chunk);
            long last = append(
                    upload,
                    chunk,
                    OptionalLong.of(file.length),
                    OptionalLong.empty(),
                    new ByteArrayInputStream(Arrays.copyOfRange(file, (int) chunk, file.length)));
            assertThat(chunk + last).isEqualTo(file.length);
            StorageUpload sized = new StorageUpload(session.withFileSize(file.length), upload.storageState());
            assertThat(completedSha256(driver.complete(sized))).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("an empty upload completes to an empty file")
        void empty() throws IOException {
            StorageUpload upload = begin(appendSession(OptionalLong.of(0)));
            assertThat(openCompleted(driver.complete(upload)).readAllBytes()).isEmpty();
        }
    }
}
