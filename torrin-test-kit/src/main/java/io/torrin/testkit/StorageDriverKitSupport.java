/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture and helpers of {@link StorageDriverCompatibilityKit}: the driver under test, the hooks a subclass
 * implements and the writing helpers of the groups. The kit's groups are spread over this class's subclasses only to
 * keep each file small; subclass {@link StorageDriverCompatibilityKit}.
 */
public abstract class StorageDriverKitSupport {

    /** The driver under test, created before each test. */
    protected StorageDriver driver;

    /**
     * Creates the driver under test. Called before each test.
     *
     * @return the driver
     * @throws Exception if it cannot be created
     */
    protected abstract StorageDriver createDriver() throws Exception;

    /**
     * Reads a completed file back from the backend, bypassing the driver's write path where possible.
     *
     * @param location a location the driver returned
     * @return the file's bytes; the kit closes the stream
     * @throws IOException if it cannot be read
     */
    protected abstract InputStream openCompleted(StorageLocation location) throws IOException;

    @BeforeEach
    void createDriverUnderTest() throws Exception {
        driver = createDriver();
    }

    /**
     * Returns the chunk size the kit uses: the driver's minimum, but at least 64 KiB.
     *
     * @return the chunk size
     */
    protected long chunkSize() {
        return Math.max(64 * 1024, driver.constraints().minChunkSize());
    }

    /**
     * Creates a session for a new upload, as the service would.
     *
     * @param fileSize the file size
     * @param chunkSize the chunk size
     * @param fileName the file name, or null
     * @return the session
     */
    protected static UploadSession session(long fileSize, long chunkSize, String fileName) {
        Instant now = Instant.now();
        return new UploadSession(
                UploadIds.generate(),
                Optional.ofNullable(fileName),
                OptionalLong.of(fileSize),
                "application/octet-stream",
                Map.of(),
                chunkSize,
                UploadSession.chunkCount(OptionalLong.of(fileSize), chunkSize),
                UploadState.PENDING,
                now,
                now.plusSeconds(3600));
    }

    StorageUpload begin(UploadSession session) throws IOException {
        return new StorageUpload(session, driver.begin(session));
    }

    void write(StorageUpload upload, byte[] file, int index) throws IOException {
        write(upload, index, TestFiles.chunk(file, upload.session().chunkSize(), index));
    }

    void write(StorageUpload upload, int index, byte[] bytes) throws IOException {
        UploadSession s = upload.session();
        driver.writeChunk(new ChunkWrite(
                upload,
                index,
                s.offsetOf(index),
                s.expectedChunkSize(index),
                Optional.of(TestFiles.sha256(bytes)),
                new ByteArrayInputStream(bytes)));
    }

    String completedSha256(StorageLocation location) throws IOException {
        return TestFiles.sha256(openCompleted(location));
    }
}
