/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StorageUpload;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageDriverTest {

    @TempDir
    Path base;

    private static UploadSession session(String fileName, long fileSize) {
        Instant now = Instant.now();
        return new UploadSession(
                UploadIds.generate(),
                Optional.ofNullable(fileName),
                OptionalLong.of(fileSize),
                "application/octet-stream",
                Map.of(),
                1024,
                UploadSession.chunkCount(OptionalLong.of(fileSize), 1024),
                UploadState.PENDING,
                now,
                now.plusSeconds(60));
    }

    private UploadService service(LocalStorageDriver driver) {
        return UploadService.builder()
                .storage(driver)
                .store(InMemoryUploadStore.create())
                .sweepInterval(Duration.ZERO)
                .build();
    }

    private CompleteResult upload(UploadService service, String fileName, byte[] file) {
        UploadSession session = service.initUpload(InitUploadRequest.builder()
                .fileName(fileName)
                .fileSize(file.length)
                .build());
        sendAllChunks(service, session, file);
        return service.completeUpload(session.uploadId());
    }

    private static void sendAllChunks(UploadService service, UploadSession session, byte[] file) {
        for (int i = 0; i < session.totalChunks(); i++) {
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), i);
            service.handleChunk(ChunkRequest.of(session.uploadId(), i, chunk.length, new ByteArrayInputStream(chunk)));
        }
    }

    @Test
    void completeWhenDefaultNamingThenFileIsUploadIdWithExtensionAndLocationIsRelative() throws IOException {
        LocalStorageDriver driver = LocalStorageDriver.create(base);
        byte[] file = TestFiles.randomBytes(300_000);
        try (UploadService service = service(driver)) {
            CompleteResult result = upload(service, "Holiday Video.MP4", file);
            String path = result.location().attribute("path").orElseThrow();
            assertThat(path).isEqualTo(result.uploadId() + ".mp4");
            assertThat(result.location().type()).isEqualTo("local");
            assertThat(path).doesNotContain(base.toString());
            Path stored = driver.resolve(result.location());
            assertThat(stored).isEqualTo(base.toAbsolutePath().normalize().resolve(path));
            assertThat(TestFiles.sha256(Files.newInputStream(stored))).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void completeWhenOriginalNameNamingThenNameIsSanitizedInsideOwnDirectory() throws IOException {
        LocalStorageDriver driver = LocalStorageDriver.builder(base)
                .naming(NamingStrategy.byOriginalName())
                .build();
        byte[] file = TestFiles.randomBytes(5000);
        try (UploadService service = service(driver)) {
            CompleteResult a = upload(service, "..report: Q1?.pdf.", file);
            CompleteResult b = upload(service, "..report: Q1?.pdf.", file);
            assertThat(a.location().attribute("path")).contains(a.uploadId() + "/report_ Q1_.pdf");
            assertThat(driver.resolve(a.location())).isNotEqualTo(driver.resolve(b.location()));
            assertThat(TestFiles.sha256(Files.newInputStream(driver.resolve(b.location()))))
                    .isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void completeWhenOriginalNameIsReservedOnWindowsThenItIsPrefixedAndTheBytesMatch() throws IOException {
        LocalStorageDriver driver = LocalStorageDriver.builder(base)
                .naming(NamingStrategy.byOriginalName())
                .build();
        byte[] file = TestFiles.randomBytes(3000);
        try (UploadService service = service(driver)) {
            for (String reserved : List.of("CON", "NUL.txt", "com1.log", "Lpt9", "aux.tar.gz")) {
                CompleteResult result = upload(service, reserved, file);
                assertThat(result.location().attribute("path")).hasValue(result.uploadId() + "/_" + reserved);
                assertThat(TestFiles.sha256(Files.newInputStream(driver.resolve(result.location()))))
                        .isEqualTo(TestFiles.sha256(file));
            }
            CompleteResult ordinary = upload(service, "CONSOLE.txt", file);
            assertThat(ordinary.location().attribute("path")).hasValue(ordinary.uploadId() + "/CONSOLE.txt");
        }
    }

    @Test
    void completeWhenFinishedThenStagingAreaIsEmptyAndFileWasMovedNotCopied() throws IOException {
        LocalStorageDriver driver = LocalStorageDriver.create(base);
        UploadSession session = session("x.bin", 2048);
        StorageUpload upload = new StorageUpload(session, driver.begin(session));
        Path staging = base.resolve(LocalStorageDriver.STAGING_DIRECTORY).resolve(session.uploadId() + ".part");
        Object stagingInode = Files.getAttribute(staging, "unix:ino");
        byte[] file = TestFiles.randomBytes(2048);
        for (int i = 0; i < 2; i++) {
            driver.writeChunk(new ChunkWrite(
                    upload,
                    i,
                    i * 1024L,
                    1024,
                    Optional.empty(),
                    new ByteArrayInputStream(TestFiles.chunk(file, 1024, i))));
        }
        StorageLocation location = driver.complete(upload);
        assertThat(Files.getAttribute(driver.resolve(location), "unix:ino")).isEqualTo(stagingInode);
        try (Stream<Path> staged = Files.list(base.resolve(LocalStorageDriver.STAGING_DIRECTORY))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void beginWhenNamingStrategyEscapesBaseThenInvalidRequestAndNothingWritten() throws IOException {
        Path root = base.resolve("root");
        LocalStorageDriver driver = LocalStorageDriver.builder(root)
                .naming(session -> session.metadata().get("target"))
                .build();
        for (String hostile : List.of(
                "../outside/x",
                "a/../../outside/y",
                "/etc/passwd",
                ".torrin-staging/z",
                ".torrin/store.lock",
                "a/./b",
                "")) {
            Instant now = Instant.now();
            UploadSession session = new UploadSession(
                    UploadIds.generate(),
                    Optional.empty(),
                    OptionalLong.of(10),
                    "a/b",
                    Map.of("target", hostile),
                    1024,
                    1,
                    UploadState.PENDING,
                    now,
                    now.plusSeconds(60));
            assertThatThrownBy(() -> driver.begin(session))
                    .as(hostile)
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThat(base.resolve("outside")).doesNotExist();
        try (Stream<Path> staged = Files.list(root.resolve(LocalStorageDriver.STAGING_DIRECTORY))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void resolveWhenLocationPointsOutsideThenRefused() {
        LocalStorageDriver driver = LocalStorageDriver.create(base);
        assertThatThrownBy(() -> driver.resolve(new StorageLocation("local", Map.of("path", "../../etc/passwd"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.resolve(new StorageLocation("s3", Map.of("path", "a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completeWhenTargetExistsAsAnotherFileThenStorageErrorAndUploadStaysCompletable() throws IOException {
        Path root = base.resolve("root");
        LocalStorageDriver driver =
                LocalStorageDriver.builder(root).naming(session -> "fixed.bin").build();
        Files.createDirectories(root);
        Files.write(root.resolve("fixed.bin"), new byte[] {42});
        byte[] file = TestFiles.randomBytes(700_000);
        try (UploadService service = service(driver)) {
            UploadSession session = service.initUpload(
                    InitUploadRequest.builder().fileSize(file.length).build());
            sendAllChunks(service, session, file);
            assertThatThrownBy(() -> service.completeUpload(session.uploadId()))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR));
            assertThat(Files.readAllBytes(root.resolve("fixed.bin"))).containsExactly(42);
            Files.delete(root.resolve("fixed.bin"));
            CompleteResult result = service.completeUpload(session.uploadId(), TestFiles.sha256(file));
            assertThat(TestFiles.sha256(Files.newInputStream(driver.resolve(result.location()))))
                    .isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void completeWhenRepeatedAfterCrashBetweenLinkAndCleanupThenSucceeds() throws IOException {
        LocalStorageDriver driver = LocalStorageDriver.create(base);
        UploadSession session = session("y.bin", 100);
        StorageUpload upload = new StorageUpload(session, driver.begin(session));
        byte[] file = TestFiles.randomBytes(100);
        driver.writeChunk(new ChunkWrite(upload, 0, 0, 100, Optional.empty(), new ByteArrayInputStream(file)));
        Path staging = base.resolve(LocalStorageDriver.STAGING_DIRECTORY).resolve(session.uploadId() + ".part");
        Path target = base.resolve(upload.storageState().get("path"));
        Files.createLink(target, staging);
        StorageLocation location = driver.complete(upload);
        assertThat(staging).doesNotExist();
        assertThat(TestFiles.sha256(Files.newInputStream(driver.resolve(location))))
                .isEqualTo(TestFiles.sha256(file));
    }
}
