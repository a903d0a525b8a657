/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.testkit.faults.Fault;
import io.torrin.testkit.faults.FaultRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against a real server (Jetty, servlet adapter, local storage, file store), with injected faults. */
class TorrinClientTest {

    private static final String CHUNKS = ".*/chunks/[0-9]+";
    private static final long SIZE = 1_500_000 + 777; // 23 chunks of 64 KiB, the last one short

    @TempDir
    Path directory;

    private TestServer server;
    private TorrinClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(directory.resolve("server"));
        client = client(ResumeStore.inMemory()).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private TorrinClient.Builder client(ResumeStore resume) {
        return TorrinClient.builder(server.endpoint())
                .parallelism(4)
                .requestTimeout(Duration.ofSeconds(3))
                .retryPolicy(new RetryPolicy(12, Duration.ofMillis(20), Duration.ofMillis(500), 2))
                .resumeStore(resume);
    }

    private Path file(String name, long size) throws Exception {
        return TestServer.randomFile(directory, name, size, name.hashCode());
    }

    @Test
    void uploadWhenNoFaultThenStoredFileHasTheSourcesSha256() throws Exception {
        Path file = file("plain.bin", SIZE);
        UploadResult result = client.upload(
                        file,
                        UploadOptions.builder()
                                .mimeType("application/octet-stream")
                                .metadata("origin", "test")
                                .build())
                .result()
                .get(30, TimeUnit.SECONDS);
        assertThat(result.sha256()).isEqualTo(TestServer.sha256(file));
        assertThat(server.storedSha256(result)).isEqualTo(result.sha256());
        assertThat(result.fileName()).isEqualTo("plain.bin");
        assertThat(result.metadata()).containsEntry("origin", "test");
        assertThat(result.resumed()).isFalse();
        assertThat(result.bytesSent()).isEqualTo(SIZE);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void uploadWhenChunkRequestsMeetAFaultThenCompletesWithTheSourcesSha256(Fault fault) throws Exception {
        var rule = server.faults.on("PUT", CHUNKS).probability(0.3);
        switch (fault) {
            case FAIL -> rule.fail(503, null);
            case DELAY -> rule.delay(Duration.ofMillis(10), Duration.ofMillis(200));
            case DROP_BEFORE_BODY -> rule.dropBeforeBody();
            case DROP_AFTER_BODY -> rule.dropAfterBody();
            case CUT_BODY -> rule.cutBody();
            case CORRUPT_BODY -> rule.corruptBody();
        }
        Path file = file("fault-" + fault + ".bin", SIZE);
        AtomicInteger retries = new AtomicInteger();
        UploadResult result = client.upload(
                        file,
                        UploadOptions.builder()
                                .listener(new UploadListener() {
                                    @Override
                                    public void onRetry(String what, int failed, Throwable cause, Duration delay) {
                                        retries.incrementAndGet();
                                    }
                                })
                                .build())
                .result()
                .get(60, TimeUnit.SECONDS);
        assertThat(server.faults.injected(fault)).as("faults injected").isPositive();
        assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
        if (fault != Fault.DELAY) {
            assertThat(retries.get()).as("retries").isGreaterThanOrEqualTo(server.faults.injected(fault));
        }
    }

    @Test
    void uploadWhenEveryFaultIsMixedOnEveryRouteThenAllFilesComplete() throws Exception {
        // each fault once for sure (on its own chunk index), then all of them at random
        List<FaultRule> once = List.of(
                server.faults.on("PUT", ".*/chunks/1").times(1).fail(500, null),
                server.faults.on("PUT", ".*/chunks/2").times(1).dropBeforeBody(),
                server.faults.on("PUT", ".*/chunks/3").times(1).dropAfterBody(),
                server.faults.on("PUT", ".*/chunks/4").times(1).cutBody(),
                server.faults.on("PUT", ".*/chunks/5").times(1).corruptBody(),
                server.faults.on("PUT", ".*/chunks/6").times(1).delay(Duration.ofMillis(50), Duration.ofMillis(50)),
                server.faults.on("POST", ".*/complete").times(2).dropAfterBody(),
                server.faults.on("POST", "/torrin/uploads").times(2).fail(423, Duration.ofSeconds(0)));
        server.faults.on("PUT", CHUNKS).probability(0.05).fail(503, null);
        server.faults.on("PUT", CHUNKS).probability(0.05).dropBeforeBody();
        server.faults.on("PUT", CHUNKS).probability(0.05).dropAfterBody();
        server.faults.on("PUT", CHUNKS).probability(0.05).cutBody();
        server.faults.on("PUT", CHUNKS).probability(0.05).corruptBody();
        server.faults.on(null, ".*").probability(0.2).delay(Duration.ZERO, Duration.ofMillis(50));
        Path[] files = new Path[4];
        Upload[] uploads = new Upload[files.length];
        for (int i = 0; i < files.length; i++) {
            files[i] = file("mixed-" + i + ".bin", SIZE / (i + 1) + i);
            uploads[i] = client.upload(files[i]);
        }
        for (int i = 0; i < files.length; i++) {
            UploadResult result = uploads[i].result().get(120, TimeUnit.SECONDS);
            assertThat(result.sha256()).isEqualTo(TestServer.sha256(files[i]));
            String stored =
                    server.service.getStatus(result.uploadId()).session().uploadId();
            assertThat(stored).isEqualTo(result.uploadId());
            if (result.location().isPresent()) {
                assertThat(server.storedSha256(result)).isEqualTo(result.sha256());
            }
        }
        assertThat(once)
                .allSatisfy(rule -> assertThat(rule.fired()).as(rule.toString()).isPositive());
    }

    @Test
    void completeWhenItsAnswerIsLostThenTheRetryFindsTheUploadCompleted() throws Exception {
        server.faults.on("POST", ".*/complete").times(1).dropAfterBody();
        Path file = file("lost-answer.bin", SIZE);
        UploadResult result = client.upload(file).result().get(30, TimeUnit.SECONDS);
        assertThat(server.faults.injected(Fault.DROP_AFTER_BODY)).isEqualTo(1);
        assertThat(result.location()).isEmpty();
        assertThat(result.sha256()).isEqualTo(TestServer.sha256(file));
        assertThat(server.status(result.uploadId()).session().state().name()).isEqualTo("COMPLETED");
    }

    @Test
    void uploadWhenServerAsksToWaitThenRetryAfterIsHonoured() throws Exception {
        server.faults.on("PUT", ".*/chunks/0").times(1).fail(503, Duration.ofSeconds(1));
        Path file = file("retry-after.bin", 10_000);
        long start = System.nanoTime();
        UploadResult result = client.upload(file).result().get(30, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
    }

    @Test
    void uploadWhenAChunkStallsThenItIsAbandonedAfterTheTimeoutAndSentAgain() throws Exception {
        server.faults.on("PUT", ".*/chunks/1").times(1).delay(Duration.ofSeconds(8), Duration.ofSeconds(8));
        Path file = file("stalled.bin", SIZE);
        long start = System.nanoTime();
        UploadResult result = client.upload(file).result().get(30, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
        assertThat(result.bytesSent()).isGreaterThan(SIZE - 64 * 1024); // the stalled attempt counted too
    }

    @Test
    void uploadWhenServerRefusesTheFileThenFailsAtOnceWithTheServersCode() throws Exception {
        server.close();
        server = new TestServer(directory.resolve("small-server"), builder -> builder.maxFileSize(1000));
        try (TorrinClient small = client(ResumeStore.inMemory()).build()) {
            AtomicInteger retries = new AtomicInteger();
            Upload upload = small.upload(
                    file("too-large.bin", 5000),
                    UploadOptions.builder()
                            .listener(new UploadListener() {
                                @Override
                                public void onRetry(String what, int failed, Throwable cause, Duration delay) {
                                    retries.incrementAndGet();
                                }
                            })
                            .build());
            assertThatThrownBy(() -> upload.result().join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
            assertThat(retries).hasValue(0);
            assertThat(upload.state()).isEqualTo(Upload.State.FAILED);
        }
    }

    @Test
    void uploadWhenServerIsUnreachableThenFailsWithATransportErrorAfterTheRetries() throws Exception {
        Path file = file("unreachable.bin", 1000);
        TorrinClient.Builder builder = client(ResumeStore.inMemory());
        server.close();
        try (TorrinClient unreachable = builder.retryPolicy(
                        new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), 2))
                .build()) {
            assertThatThrownBy(() -> unreachable.upload(file).result().join())
                    .cause()
                    .isInstanceOf(TorrinTransportException.class);
        }
        server = new TestServer(directory.resolve("server-again"));
    }

    @Test
    void pauseWhenChunksAreInFlightThenTheyFinishAndResumeSendsOnlyTheRest() throws Exception {
        Path file = file("paused.bin", SIZE);
        PauseAfter pause = new PauseAfter(5);
        Upload upload = pause.start(client, file);
        pause.await();
        assertThat(upload.state()).isEqualTo(Upload.State.PAUSED);
        int received = server.status(upload.uploadId().orElseThrow()).chunks().count();
        assertThat(received).isBetween(5, 5 + 4).isLessThan(23);
        assertThat(upload.progress().chunksAcknowledged()).isEqualTo(received);
        Thread.sleep(200);
        assertThat(server.status(upload.uploadId().orElseThrow()).chunks().count())
                .isEqualTo(received);
        upload.resume();
        UploadResult result = upload.result().get(30, TimeUnit.SECONDS);
        assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
        assertThat(result.bytesSent()).isEqualTo(SIZE);
    }

    @Test
    void cancelWhenRunningThenAbortedOnTheServer() throws Exception {
        server.faults.on("PUT", CHUNKS).delay(Duration.ofMillis(100), Duration.ofMillis(100));
        Path file = file("canceled.bin", SIZE);
        CountDownLatch first = new CountDownLatch(1);
        Upload upload = client.upload(
                file,
                UploadOptions.builder()
                        .listener(new UploadListener() {
                            @Override
                            public void onChunkAcknowledged(int index, UploadProgress progress) {
                                first.countDown();
                            }
                        })
                        .build());
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        upload.cancel();
        assertThatThrownBy(() -> upload.result().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CancellationException.class);
        assertThat(upload.state()).isEqualTo(Upload.State.CANCELED);
        String id = upload.uploadId().orElseThrow();
        assertThat(client.status(id).status()).isEqualTo("canceled");
        assertThat(server.status(id).session().state().name()).isEqualTo("CANCELED");
    }

    @Test
    void uploadWhenAnEarlierClientStoppedHalfwayThenANewClientResumesWithTheMissingChunksOnly() throws Exception {
        Path file = file("resumed.bin", SIZE);
        ResumeStore resume = ResumeStore.inDirectory(directory.resolve("resume"));
        String id;
        try (TorrinClient first = client(resume).build()) {
            PauseAfter pause = new PauseAfter(10);
            Upload upload = pause.start(first, file);
            pause.await();
            id = upload.uploadId().orElseThrow();
        }
        int received = server.status(id).chunks().count();
        long missingBytes = SIZE - received * 64L * 1024;
        server.faults.on("GET", ".*/status").times(2).dropBeforeBody();
        try (TorrinClient second = client(resume).build()) {
            UploadResult result = second.upload(file).result().get(30, TimeUnit.SECONDS);
            assertThat(result.uploadId()).isEqualTo(id);
            assertThat(result.resumed()).isTrue();
            assertThat(result.bytesSent()).isEqualTo(missingBytes);
            assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
            assertThat(server.faults.injected(Fault.DROP_BEFORE_BODY)).isEqualTo(2);
        }
        assertThat(resume.find(new ResumeKey(
                        server.endpoint(),
                        file.toAbsolutePath().normalize(),
                        SIZE,
                        Files.getLastModifiedTime(file).toMillis())))
                .isEmpty();
    }

    @Test
    void uploadWhenTheRememberedUploadIsGoneThenStartsOver() throws Exception {
        Path file = file("gone.bin", 100_000);
        ResumeStore resume = ResumeStore.inMemory();
        resume.save(
                new ResumeKey(
                        server.endpoint(),
                        file.toAbsolutePath().normalize(),
                        100_000,
                        Files.getLastModifiedTime(file).toMillis()),
                "abcdefghijklmnopqrstuvwxyz234567");
        try (TorrinClient resuming = client(resume).build()) {
            UploadResult result = resuming.upload(file).result().get(30, TimeUnit.SECONDS);
            assertThat(result.uploadId()).isNotEqualTo("abcdefghijklmnopqrstuvwxyz234567");
            assertThat(result.resumed()).isFalse();
            assertThat(server.storedSha256(result)).isEqualTo(TestServer.sha256(file));
        }
    }

    @Test
    void uploadWhenFileIsEmptyThenFailsWithAClearError() throws Exception {
        Path file = file("empty.bin", 0);
        assertThatThrownBy(() -> client.upload(file).result().join())
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    /** Starts an upload that pauses itself once a number of chunks are acknowledged. */
    private static final class PauseAfter implements UploadListener {

        private final int chunks;
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch paused = new CountDownLatch(1);
        private volatile Upload upload;

        PauseAfter(int chunks) {
            this.chunks = chunks;
        }

        Upload start(TorrinClient client, Path file) {
            upload = client.upload(file, UploadOptions.builder().listener(this).build());
            started.countDown();
            return upload;
        }

        void await() throws InterruptedException {
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("paused").isTrue();
        }

        @Override
        public void onChunkAcknowledged(int index, UploadProgress progress) {
            if (acknowledged.incrementAndGet() == chunks) {
                try {
                    started.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                upload.pause();
            }
        }

        @Override
        public void onPaused(UploadProgress progress) {
            paused.countDown();
        }
    }
}
