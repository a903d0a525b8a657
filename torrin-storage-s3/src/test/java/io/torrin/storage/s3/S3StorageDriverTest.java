/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.UploadService;
import io.torrin.server.UploadServiceBuilder;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.StorageUpload;
import io.torrin.testkit.MutableClock;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

@ExtendWith(S3Mock.class)
class S3StorageDriverTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path sessions;

    private S3Client s3;

    @BeforeEach
    void client() {
        s3 = S3Mock.get().client();
    }

    @AfterEach
    void close() {
        s3.close();
    }

    private UploadService service(S3StorageDriver driver, FileUploadStore store, MutableClock clock) {
        UploadServiceBuilder builder = UploadService.builder()
                .storage(driver)
                .store(store)
                .sweepInterval(Duration.ZERO)
                .eventExecutor(Runnable::run);
        if (clock != null) {
            builder.clock(clock);
        }
        return builder.build();
    }

    private static void send(UploadService service, UploadSession session, byte[] file, int index) {
        byte[] chunk = TestFiles.chunk(file, session.chunkSize(), index);
        service.handleChunk(ChunkRequest.of(
                session.uploadId(), index, chunk.length, new ByteArrayInputStream(chunk), TestFiles.sha256(chunk)));
    }

    private String storedSha256(StorageLocation location) throws Exception {
        return TestFiles.sha256(s3.getObject(
                r -> r.bucket(S3Mock.BUCKET).key(location.attribute("key").orElseThrow())));
    }

    private boolean hasMultipartUploads(String prefix) {
        return !s3.listMultipartUploads(r -> r.bucket(S3Mock.BUCKET).prefix(prefix))
                .uploads()
                .isEmpty();
    }

    @Test
    void initUploadWhenStorageIsS3ThenChunkSizeRespectsPartLimits() {
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix("limits").build();
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(driver, store, null)) {
            assertThat(service.initUpload(InitUploadRequest.builder()
                                    .fileSize(100 * MIB)
                                    .desiredChunkSize(MIB)
                                    .build())
                            .chunkSize())
                    .isEqualTo(5 * MIB);
            UploadSession huge = service.initUpload(InitUploadRequest.builder()
                    .fileSize(900L * 1024 * MIB)
                    .desiredChunkSize(5 * MIB)
                    .build());
            assertThat(huge.totalChunks()).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void completeWhenNameIsNotAsciiThenObjectHasTypeAndSafeDisposition() throws Exception {
        S3StorageDriver driver = S3StorageDriver.builder(s3, S3Mock.BUCKET)
                .keyPrefix("/names/")
                .keyStrategy(S3KeyStrategy.byOriginalName())
                .build();
        byte[] file = TestFiles.randomBytes(1000);
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(driver, store, null)) {
            UploadSession session = service.initUpload(InitUploadRequest.builder()
                    .fileName("Résumé \"2030\" 📄.pdf")
                    .fileSize(file.length)
                    .mimeType("application/pdf")
                    .build());
            send(service, session, file, 0);
            CompleteResult result = service.completeUpload(session.uploadId());
            String key = result.location().attribute("key").orElseThrow();
            assertThat(key).isEqualTo("names/" + session.uploadId() + "/Résumé _2030_ 📄.pdf");
            assertThat(result.location().attribute("bucket")).contains(S3Mock.BUCKET);
            HeadObjectResponse head = s3.headObject(r -> r.bucket(S3Mock.BUCKET).key(key));
            assertThat(head.contentType()).isEqualTo("application/pdf");
            assertThat(head.contentDisposition())
                    .isEqualTo(
                            "attachment; filename=\"R_sum_ _2030_ _.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%222030%22%20%F0%9F%93%84.pdf");
            assertThat(storedSha256(result.location())).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void resumeWhenANewProcessTakesOverThenItCompletesTheUploadAnotherStarted() throws Exception {
        byte[] file = TestFiles.randomBytes((int) (3 * 5 * MIB + 12345));
        String uploadId;
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService first = service(
                        S3StorageDriver.builder(s3, S3Mock.BUCKET)
                                .keyPrefix("restart")
                                .build(),
                        store,
                        null)) {
            UploadSession session = first.initUpload(InitUploadRequest.builder()
                    .fileSize(file.length)
                    .desiredChunkSize(5 * MIB)
                    .build());
            uploadId = session.uploadId();
            send(first, session, file, 3);
            send(first, session, file, 1);
        }
        try (S3Client otherClient = S3Mock.get().client();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService second = service(
                        S3StorageDriver.builder(otherClient, S3Mock.BUCKET)
                                .keyPrefix("restart")
                                .build(),
                        store,
                        null)) {
            var status = second.getStatus(uploadId);
            assertThat(status.receivedChunks()).containsExactly(1, 3);
            for (int index : status.missingChunks()) {
                send(second, status.session(), file, index);
            }
            CompleteResult result = second.completeUpload(uploadId);
            assertThat(storedSha256(result.location())).isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void abortAndExpiryWhenUploadsAreUnfinishedThenNoMultipartUploadIsLeftBehind() {
        MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix("cleanup").build();
        byte[] file = TestFiles.randomBytes((int) (5 * MIB + 10));
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(driver, store, clock)) {
            UploadSession aborted = service.initUpload(
                    InitUploadRequest.builder().fileSize(file.length).build());
            UploadSession expired = service.initUpload(
                    InitUploadRequest.builder().fileSize(file.length).build());
            send(service, aborted, file, 0);
            send(service, expired, file, 1);
            assertThat(hasMultipartUploads("cleanup/")).isTrue();
            service.abortUpload(aborted.uploadId());
            service.abortUpload(aborted.uploadId());
            clock.advance(Duration.ofDays(2));
            assertThat(service.sweepExpired()).isEqualTo(2);
            assertThat(hasMultipartUploads("cleanup/")).isFalse();
            assertThat(store.find(expired.uploadId())).isEmpty();
        }
    }

    @Test
    void listPartsWhenMoreThanOnePageThenAllPartsAreFound() throws Exception {
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix("paging").build();
        UploadSession session = new UploadSession(
                "pagingpagingpagingpaging",
                Optional.empty(),
                OptionalLong.of(1005),
                "a/b",
                Map.of(),
                1,
                1005,
                UploadState.PENDING,
                Instant.now(),
                Instant.now().plusSeconds(60));
        Map<String, String> state = driver.begin(session);
        for (int part = 1; part <= 1005; part++) {
            int number = part;
            s3.uploadPart(
                    r -> r.bucket(S3Mock.BUCKET)
                            .key(state.get(S3StorageDriver.KEY))
                            .uploadId(state.get(S3StorageDriver.MULTIPART_UPLOAD_ID))
                            .partNumber(number),
                    RequestBody.fromBytes(new byte[] {(byte) number}));
        }
        assertThat(driver.listParts(state.get(S3StorageDriver.KEY), state.get(S3StorageDriver.MULTIPART_UPLOAD_ID)))
                .hasSize(1005)
                .extracting(p -> p.partNumber())
                .doesNotHaveDuplicates();
        driver.abort(new StorageUpload(session, state));
    }

    @Test
    void handleChunkWhenBytesDoNotMatchTheClientsSha256ThenNotRecordedAndNeverPartOfTheObject() throws Exception {
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix("digest").build();
        byte[] file = TestFiles.randomBytes((int) (5 * MIB + 77));
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(driver, store, null)) {
            UploadSession session = service.initUpload(
                    InitUploadRequest.builder().fileSize(file.length).build());
            byte[] chunk = TestFiles.chunk(file, session.chunkSize(), 0);
            byte[] corrupted = chunk.clone();
            corrupted[12345] ^= 1;
            assertThatThrownBy(() -> service.handleChunk(ChunkRequest.of(
                            session.uploadId(),
                            0,
                            chunk.length,
                            new ByteArrayInputStream(corrupted),
                            TestFiles.sha256(chunk))))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_HASH_MISMATCH));
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
            send(service, session, file, 0);
            send(service, session, file, 1);
            assertThat(storedSha256(service.completeUpload(session.uploadId()).location()))
                    .isEqualTo(TestFiles.sha256(file));
        }
    }

    @Test
    void initUploadWhenBucketIsMissingThenNonRetryableStorageErrorNamingTheBucket() {
        S3StorageDriver driver =
                S3StorageDriver.builder(s3, "no-such-bucket-here").build();
        try (FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(driver, store, null)) {
            assertThatThrownBy(() -> service.initUpload(
                            InitUploadRequest.builder().fileSize(10).build()))
                    .isInstanceOfSatisfying(TorrinException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                        assertThat(e.getMessage()).contains("no-such-bucket-here");
                        assertThat(e.details())
                                .containsEntry("reason", "NoSuchBucket")
                                .containsEntry("retryable", false);
                    });
            assertThat(store.findExpired(Instant.MAX, 10)).isEmpty();
        }
    }

    @Test
    void writeChunkWhenS3ThrottlesThenRetryableStorageErrorAndTheChunkIsNotRecorded() throws Exception {
        HttpServer slowDown = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowDown.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean create = exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getQuery() != null
                    && exchange.getRequestURI().getQuery().contains("uploads");
            byte[] body = (create
                            ? "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u-1</UploadId>"
                                    + "</InitiateMultipartUploadResult>"
                            : "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(create ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slowDown.start();
        try (S3Client throttled = S3Client.builder()
                        .endpointOverride(URI.create(
                                "http://127.0.0.1:" + slowDown.getAddress().getPort()))
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(2)))
                        .build();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service =
                        service(S3StorageDriver.builder(throttled, "b").build(), store, null)) {
            UploadSession session =
                    service.initUpload(InitUploadRequest.builder().fileSize(100).build());
            assertThatThrownBy(() -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, 100, new ByteArrayInputStream(new byte[100]))))
                    .isInstanceOfSatisfying(TorrinException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                        assertThat(e.isRetryable()).isTrue();
                    });
            assertThat(service.getStatus(session.uploadId()).receivedChunks()).isEmpty();
        } finally {
            slowDown.stop(0);
        }
    }

    @Test
    void presignedGetUrlWhenUploadCompletedThenDownloadsTheBytes() throws Exception {
        byte[] file = TestFiles.randomBytes(4321);
        try (S3Presigner presigner = S3Mock.get().presigner();
                FileUploadStore store = FileUploadStore.create(sessions)) {
            S3StorageDriver driver = S3StorageDriver.builder(s3, S3Mock.BUCKET)
                    .keyPrefix("presigned")
                    .presigner(presigner)
                    .build();
            try (UploadService service = service(driver, store, null)) {
                UploadSession session = service.initUpload(
                        InitUploadRequest.builder().fileSize(file.length).build());
                send(service, session, file, 0);
                StorageLocation location =
                        service.completeUpload(session.uploadId()).location();
                URL url = driver.presignedGetUrl(location, Duration.ofMinutes(5));
                assertThat(url.getQuery()).contains("X-Amz-Expires=300");
                HttpResponse<InputStream> download = HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat(TestFiles.sha256(download.body())).isEqualTo(TestFiles.sha256(file));
                assertThatThrownBy(() -> driver.presignedGetUrl(
                                new StorageLocation("s3", Map.of("bucket", "other", "key", "k")),
                                Duration.ofMinutes(1)))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void beginWhenKeyStrategyProducesAnInvalidKeyThenInvalidRequestAndNoMultipartUpload() {
        S3StorageDriver driver = S3StorageDriver.builder(s3, S3Mock.BUCKET)
                .keyPrefix("hostile")
                .keyStrategy(session -> session.metadata().get("k"))
                .build();
        for (String key : new String[] {"a\u0000b", "x".repeat(1100), "line\nbreak"}) {
            UploadSession session = new UploadSession(
                    "hostilehostilehostile1",
                    Optional.empty(),
                    OptionalLong.of(10),
                    "a/b",
                    Map.of("k", key),
                    10,
                    1,
                    UploadState.PENDING,
                    Instant.now(),
                    Instant.now().plusSeconds(60));
            assertThatThrownBy(() -> driver.begin(session))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThat(hasMultipartUploads("hostile/")).isFalse();
    }
}
