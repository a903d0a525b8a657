/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torrin.core.StorageLocation;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The group of {@link StorageDriverCompatibilityKit} for drivers that implement {@link ReadableStorage}: describing
 * and reading completed files, whole and in ranges at the edges, and refusing locations that are gone, of another
 * backend or outside the driver's storage. Subclass the kit, not this class.
 */
public abstract class StorageReadingKitGroups extends StorageDriverKitSupport {

    /**
     * Returns a location of this driver's kind whose file does not exist, for example by deleting the completed
     * file behind the driver's back as an application may do. The default is empty, which skips the test of
     * missing files.
     *
     * @param completed a location the driver returned for a completed upload, which the method may delete
     * @return the location of a missing file, or empty
     * @throws IOException if deleting fails
     */
    protected Optional<StorageLocation> missingLocation(StorageLocation completed) throws IOException {
        return Optional.empty();
    }

    /**
     * Returns locations of this driver's kind that point outside its storage (a path leaving the base directory, a
     * symbolic link to a file elsewhere, another bucket); where the backend allows, each names a file that exists,
     * so that only the driver's own check can refuse it. The default is none, which skips the test.
     *
     * @param completed a location the driver returned for a completed upload
     * @return the locations, never null
     * @throws IOException if preparing them fails
     */
    protected List<StorageLocation> escapingLocations(StorageLocation completed) throws IOException {
        return List.of();
    }

    @Nested
    @DisplayName("reading completed files (drivers that implement ReadableStorage)")
    class Reading {

        private ReadableStorage readable;
        private byte[] file;
        private StorageLocation location;
        private Instant started;

        @BeforeEach
        void completeARandomFile() throws IOException {
            assumeTrue(driver instanceof ReadableStorage, "the driver does not implement ReadableStorage");
            readable = (ReadableStorage) driver;
            started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long chunk = chunkSize();
            file = TestFiles.randomBytes((int) (chunk * 2 + chunk / 2 + 3));
            StorageUpload upload = begin(session(file.length, chunk, "readable.bin"));
            for (int index = 0; index < 3; index++) {
                write(upload, file, index);
            }
            location = driver.complete(upload);
        }

        private String range(long offset, long length) throws IOException {
            try (InputStream in = readable.open(location, offset, length)) {
                return TestFiles.sha256(in);
            }
        }

        private String expected(long offset, long length) {
            return TestFiles.sha256(Arrays.copyOfRange(file, (int) offset, (int) (offset + length)));
        }

        @Test
        @DisplayName("stat gives the completed file's length, a modification time of the write and a stable version")
        void stat() throws IOException {
            StoredFile stat = readable.stat(location);
            assertThat(stat.length()).isEqualTo(file.length);
            assertThat(stat.lastModified())
                    .isAfterOrEqualTo(started.minus(Duration.ofMinutes(1)))
                    .isBeforeOrEqualTo(Instant.now().plus(Duration.ofMinutes(1)));
            assertThat(stat.version()).isNotBlank();
            assertThat(readable.stat(location)).isEqualTo(stat);
        }

        @Test
        @DisplayName("open reads exactly the completed bytes")
        void whole() throws IOException {
            try (InputStream in = readable.open(location)) {
                assertThat(TestFiles.sha256(in)).isEqualTo(TestFiles.sha256(file));
            }
            assertThat(range(0, file.length)).isEqualTo(TestFiles.sha256(file));
        }

        @Test
        @DisplayName("ranged opens read exactly their bytes: the first, the last, across chunk boundaries, the rest")
        void ranges() throws IOException {
            long chunk = chunkSize();
            int length = file.length;
            long[][] ranges = {
                {0, 1},
                {length - 1, 1},
                {chunk - 3, 7},
                {chunk - 1, chunk + 2},
                {1, length - 1},
                {chunk * 2, length - chunk * 2}
            };
            for (long[] r : ranges) {
                assertThat(range(r[0], r[1])).as("%d+%d", r[0], r[1]).isEqualTo(expected(r[0], r[1]));
            }
        }

        @Test
        @DisplayName("an empty range, at the start, inside or at the end, reads nothing")
        void emptyRanges() throws IOException {
            for (long offset : new long[] {0, chunkSize(), file.length}) {
                try (InputStream in = readable.open(location, offset, 0)) {
                    assertThat(in.readAllBytes()).as("at %d", offset).isEmpty();
                }
            }
        }

        @Test
        @DisplayName("a file that is gone: stat throws NoSuchFileException, open an IOException")
        void missing() throws IOException {
            Optional<StorageLocation> missing = missingLocation(location);
            assumeTrue(missing.isPresent(), "the subclass cannot make a missing file (missingLocation)");
            assertThatThrownBy(() -> readable.stat(missing.get())).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> readable.open(missing.get()).close()).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> readable.open(missing.get(), 0, 1).close()).isInstanceOf(IOException.class);
            assertThat(readable.localFile(missing.get())).isEmpty();
        }

        @Test
        @DisplayName("a location of another backend is refused by stat and open and is no local file")
        void otherBackend() {
            StorageLocation foreign = new StorageLocation("other-" + location.type(), location.attributes());
            assertRefused(foreign);
        }

        @Test
        @DisplayName("a location that leads outside the driver's storage is refused, also through a symbolic link")
        void escaping() throws IOException {
            List<StorageLocation> escaping = escapingLocations(location);
            assumeTrue(!escaping.isEmpty(), "the subclass names no escaping locations (escapingLocations)");
            escaping.forEach(this::assertRefused);
        }

        private void assertRefused(StorageLocation refused) {
            assertThatThrownBy(() -> readable.stat(refused))
                    .as("stat %s", refused)
                    .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
            assertThatThrownBy(() -> readable.open(refused).close())
                    .as("open %s", refused)
                    .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
            assertThatThrownBy(() -> readable.open(refused, 0, 1).close())
                    .as("open a range of %s", refused)
                    .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
            assertThat(readable.localFile(refused)).as("localFile %s", refused).isEmpty();
        }
    }
}
