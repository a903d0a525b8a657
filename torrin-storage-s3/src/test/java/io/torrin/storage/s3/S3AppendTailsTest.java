/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadState;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Appends smaller than an S3 part are kept as temporary tail objects: they survive a restart (a new service,
 * driver and client over the same store continue the upload) and are gone once the upload completes or aborts.
 */
@ExtendWith(S3Mock.class)
class S3AppendTailsTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path sessions;

    private static UploadService service(S3Client s3, FileUploadStore store, String prefix) {
        return UploadService.builder()
                .storage(S3StorageDriver.builder(s3, S3Mock.BUCKET)
                        .keyPrefix(prefix)
                        .build())
                .store(store)
                .defaultChunkSize(5L * MIB)
                .sweepInterval(Duration.ZERO)
                .build();
    }

    private static AppendStatus append(
            UploadService service, String id, byte[] file, int from, int to, boolean knownLength) {
        byte[] part = Arrays.copyOfRange(file, from, to);
        return service.appends()
                .append(
                        new AppendRequest(
                                id,
                                from,
                                knownLength ? OptionalLong.of(part.length) : OptionalLong.empty(),
                                OptionalLong.empty(),
                                Optional.empty(),
                                new ByteArrayInputStream(part)),
                        RequestContext.none());
    }

    private static List<String> tails(S3Client s3, String prefix, String uploadId) {
        return s3
                .listObjectsV2(r -> r.bucket(S3Mock.BUCKET).prefix(prefix + ".torrin-tails/" + uploadId + "/"))
                .contents()
                .stream()
                .map(o -> o.key())
                .toList();
    }

    @Test
    void tailsWhenServerRestartsThenAnotherInstanceFinishesTheUploadAndTailsAreRemoved() throws Exception {
        String prefix = "tails-restart/";
        byte[] file = TestFiles.randomBytes(2 * 5 * MIB + 4321);
        String id;
        try (S3Client s3 = S3Mock.get().client();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService first = service(s3, store, prefix)) {
            id = first.appends()
                    .initUpload(
                            InitUploadRequest.builder()
                                    .fileName("tails.bin")
                                    .fileSize(file.length)
                                    .build(),
                            Map.of(),
                            RequestContext.none())
                    .uploadId();
            append(first, id, file, 0, MIB, false);
            append(first, id, file, MIB, 4 * MIB, true);
            assertThat(tails(s3, prefix, id)).hasSize(2);
        }
        try (S3Client s3 = S3Mock.get().client();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService second = service(s3, store, prefix)) {
            assertThat(second.appends().getStatus(id, RequestContext.none()).offset())
                    .isEqualTo(4 * MIB);
            append(second, id, file, 4 * MIB, 7 * MIB, false);
            AppendStatus done = append(second, id, file, 7 * MIB, file.length, true);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            try (InputStream in = S3Mock.open(s3, done.location().orElseThrow())) {
                assertThat(TestFiles.sha256(in)).isEqualTo(TestFiles.sha256(file));
            }
            assertThat(tails(s3, prefix, id)).isEmpty();
            assertThat(s3.listMultipartUploads(r -> r.bucket(S3Mock.BUCKET).prefix(prefix))
                            .uploads())
                    .isEmpty();
        }
    }

    @Test
    void tailsWhenUploadIsTerminatedThenTheyAreDeleted() throws Exception {
        String prefix = "tails-abort/";
        byte[] file = TestFiles.randomBytes(3 * MIB);
        try (S3Client s3 = S3Mock.get().client();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(s3, store, prefix)) {
            String id = service.appends()
                    .initUpload(InitUploadRequest.builder().build(), Map.of(), RequestContext.none())
                    .uploadId();
            append(service, id, file, 0, 1000, true);
            append(service, id, file, 1000, file.length, false);
            assertThat(tails(s3, prefix, id)).hasSize(2);
            assertThat(service.appends().terminateUpload(id, RequestContext.none()))
                    .isTrue();
            assertThat(tails(s3, prefix, id)).isEmpty();
            assertThat(service.appends().terminateUpload(id, RequestContext.none()))
                    .as("terminated already")
                    .isFalse();
            assertThat(s3.listMultipartUploads(r -> r.bucket(S3Mock.BUCKET).prefix(prefix))
                            .uploads())
                    .isEmpty();
        }
    }

    @Test
    void appendWhenS3FailsAfterAWholePartThenThePartCountsTheTailDoesNotAndTheUploadResumes() throws Exception {
        String prefix = "tails-fault/";
        byte[] file = TestFiles.randomBytes(2 * 5 * MIB + 4321);
        AtomicBoolean failPuts = new AtomicBoolean();
        try (S3Client real = S3Mock.get().client();
                FileUploadStore store = FileUploadStore.create(sessions);
                UploadService service = service(failingPutObject(real, failPuts), store, prefix)) {
            String id = service.appends()
                    .initUpload(
                            InitUploadRequest.builder().fileSize(file.length).build(), Map.of(), RequestContext.none())
                    .uploadId();
            failPuts.set(true);
            // one PATCH of a whole part (UploadPart succeeds) and 1 MiB more (its tail PutObject fails)
            assertThatThrownBy(() -> append(service, id, file, 0, 6 * MIB, true))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR));
            assertThat(service.appends().getStatus(id, RequestContext.none()).offset())
                    .as("the stored part counts, the failed tail does not")
                    .isEqualTo(5 * MIB);
            assertThat(tails(real, prefix, id)).isEmpty();
            // a PATCH that fails before anything is stored changes nothing
            assertThatThrownBy(() -> append(service, id, file, 5 * MIB, 6 * MIB, true))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR));
            assertThat(service.appends().getStatus(id, RequestContext.none()).offset())
                    .isEqualTo(5 * MIB);
            failPuts.set(false);
            append(service, id, file, 5 * MIB, 6 * MIB, true);
            AppendStatus done = append(service, id, file, 6 * MIB, file.length, true);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            try (InputStream in = S3Mock.open(real, done.location().orElseThrow())) {
                assertThat(TestFiles.sha256(in)).isEqualTo(TestFiles.sha256(file));
            }
            assertThat(tails(real, prefix, id)).isEmpty();
        }
    }

    /** A client that fails every {@code PutObject} (the tail objects) while {@code fail} is set. */
    private static S3Client failingPutObject(S3Client real, AtomicBoolean fail) {
        return (S3Client) Proxy.newProxyInstance(
                S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putObject") && fail.get()) {
                        throw SdkClientException.create("injected PutObject failure");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
