/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture and record builders of {@link UploadStoreCompatibilityKit}. The kit is spread over this class,
 * {@link ChunkedRecordsKitGroups} and the kit itself only to keep each file small; subclass
 * {@link UploadStoreCompatibilityKit}.
 */
public abstract class UploadStoreKitSupport {

    /** The instant test records are created at; millisecond precision, as the service uses. */
    protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    /** The store under test, created before each test. */
    protected UploadStore store;

    /**
     * Creates a fresh, empty store. Called before each test.
     *
     * @return the store
     * @throws Exception if the store cannot be created
     */
    protected abstract UploadStore createStore() throws Exception;

    @BeforeEach
    void createStoreUnderTest() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStoreUnderTest() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * Builds a record for a new upload with some of everything a store must keep.
     *
     * @param totalChunks the number of chunks
     * @param expiresAt the expiry
     * @return the record
     */
    protected static UploadRecord newRecord(int totalChunks, Instant expiresAt) {
        long chunkSize = 1024;
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("Übersicht 2030 – 📄.pdf"),
                OptionalLong.of(chunkSize * totalChunks - 7),
                "application/pdf",
                Map.of("userId", "123", "note", "größe: ✓"),
                chunkSize,
                totalChunks,
                UploadState.PENDING,
                T0,
                expiresAt);
        return UploadRecord.created(session, Map.of("path", "a/b.pdf", "multipartId", "x-1"));
    }

    /**
     * Builds a record for a new append upload (offset-based, as tus uploads are).
     *
     * @param fileSize the size
     * @param expiresAt the expiry
     * @return the record, offset 0
     */
    protected static UploadRecord newAppendRecord(long fileSize, Instant expiresAt) {
        return newAppendRecord(OptionalLong.of(fileSize), expiresAt);
    }

    /**
     * Builds a record for a new append upload (offset-based, as tus uploads are) whose size may be undeclared.
     *
     * @param fileSize the size, or empty while undeclared
     * @param expiresAt the expiry
     * @return the record, offset 0
     */
    protected static UploadRecord newAppendRecord(OptionalLong fileSize, Instant expiresAt) {
        long chunkSize = 1024;
        UploadSession session = new UploadSession(
                UploadIds.generate(),
                Optional.of("clip.mp4"),
                fileSize,
                "video/mp4",
                Map.of("filename", "clip.mp4", "empty", ""),
                chunkSize,
                UploadSession.chunkCount(fileSize, chunkSize),
                UploadState.PENDING,
                T0,
                expiresAt);
        return UploadRecord.createdForAppend(
                session, Map.of("path", "clip.mp4"), Map.of("tus.concat", "partial", "note", "ä ✓"));
    }
}
