/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.DelegatingDriver;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.UploadLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tus handler's answers that the black-box kit cannot provoke: a busy upload (423), a retryable storage failure
 * (503), hooks refusing (401/403), each with the offset unchanged. The protocol itself is covered by the
 * conformance kit against real containers.
 */
class TusProtocolHandlerTest {

    private final InMemoryUploadStore store = InMemoryUploadStore.create();
    private final AtomicBoolean storageFails = new AtomicBoolean();
    private final InMemoryStorageDriver memory = InMemoryStorageDriver.create();
    private final UploadService service = UploadService.builder()
            .storage(new FlakyStorage())
            .store(store)
            .sweepInterval(Duration.ZERO)
            .lockTimeout(Duration.ofMillis(200))
            .hook(new UploadHooks() {
                @Override
                public void beforeChunk(UploadSession session, int index, RequestContext context) {
                    String user = context.principal().map(p -> p.getName()).orElse("");
                    if (user.isEmpty()) {
                        throw new TorrinException(ErrorCode.UNAUTHORIZED, "sign in first");
                    }
                    if (!user.equals("alice")) {
                        throw new TorrinException(ErrorCode.FORBIDDEN, "not yours");
                    }
                }

                @Override
                public void beforeStatus(UploadSession session, RequestContext context) {
                    if (context.principal().map(p -> p.getName()).orElse("").equals("mallory")) {
                        throw new TorrinException(ErrorCode.FORBIDDEN, "not yours");
                    }
                }
            })
            .build();
    private final TusProtocolHandler handler =
            TusProtocolHandler.builder(service).build();

    @AfterEach
    void close() {
        service.close();
    }

    private String create(int length) {
        HttpResponse created = handler.handle(FakeRequest.of("POST", "/")
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(length)));
        assertThat(created.status()).isEqualTo(201);
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private FakeRequest patch(String id, long offset, byte[] body) {
        return FakeRequest.of("PATCH", "/" + id)
                .header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Length", Integer.toString(body.length))
                .body(body)
                .principal(() -> "alice");
    }

    private long offset(String id) {
        HttpResponse head = handler.handle(FakeRequest.of("HEAD", "/" + id).header("Tus-Resumable", "1.0.0"));
        assertThat(head.status()).isEqualTo(200);
        return Long.parseLong(head.header("Upload-Offset"));
    }

    @Test
    void builderWhenTheStorageCannotStoreAppendsThenFailsAtOnceNamingTheCapability() {
        StorageDriver chunksOnly = new DelegatingDriver(memory).chunksOnly();
        try (UploadService chunked = UploadService.builder()
                .storage(chunksOnly)
                .store(InMemoryUploadStore.create())
                .sweepInterval(Duration.ZERO)
                .build()) {
            assertThatThrownBy(() -> TusProtocolHandler.builder(chunked))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("AppendableStorage")
                    .hasMessageContaining("cannot serve append uploads");
            assertThat(TorrinProtocolHandler.builder(chunked).build()).isNotNull();
        }
    }

    @Test
    void optionsWhenTheStorageCannotReadCompletedFilesThenConcatenationIsNeitherAnnouncedNorAccepted() {
        HttpResponse options = handler.handle(FakeRequest.of("OPTIONS", "/"));
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Tus-Extension").split(","))
                .contains("creation", "termination")
                .doesNotContain("concatenation", "concatenation-unfinished");
        String part = create(10);
        HttpResponse concat = handler.handle(
                FakeRequest.of("POST", "/").header("Tus-Resumable", "1.0.0").header("Upload-Concat", "final;/" + part));
        assertThat(concat.status()).isEqualTo(400);
    }

    @Test
    void patchWhenAnotherRequestHoldsTheUploadThen423WithRetryAfterAndNothingChanges() {
        String id = create(100);
        try (UploadLock held = store.locks().acquire(id, LockMode.EXCLUSIVE, Duration.ofSeconds(1))) {
            HttpResponse busy = handler.handle(patch(id, 0, new byte[10]));
            assertThat(busy.status()).isEqualTo(423);
            assertThat(busy.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(busy.header("Tus-Resumable")).isEqualTo("1.0.0");
            HttpResponse delete =
                    handler.handle(FakeRequest.of("DELETE", "/" + id).header("Tus-Resumable", "1.0.0"));
            assertThat(delete.status()).isEqualTo(423);
        }
        assertThat(offset(id)).isZero();
        assertThat(handler.handle(patch(id, 0, new byte[10])).status()).isEqualTo(204);
        assertThat(offset(id)).isEqualTo(10);
    }

    @Test
    void patchWhenStorageFailsRetryablyThen503WithRetryAfterAndTheOffsetStays() {
        String id = create(100);
        storageFails.set(true);
        HttpResponse failed = handler.handle(patch(id, 0, new byte[10]));
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).matches("[1-9][0-9]*");
        storageFails.set(false);
        assertThat(offset(id)).isZero();
        assertThat(handler.handle(patch(id, 0, new byte[10])).status()).isEqualTo(204);
    }

    @Test
    void patchWhenHooksRefuseThen401Or403AndTheOffsetStays() {
        String id = create(100);
        HttpResponse anonymous = handler.handle(patch(id, 0, new byte[10]).principal(null));
        assertThat(anonymous.status()).isEqualTo(401);
        HttpResponse stranger = handler.handle(patch(id, 0, new byte[10]).principal(() -> "mallory"));
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.bodyText()).contains("not yours");
        assertThat(offset(id)).isZero();
    }

    @Test
    void requestsWhenTheIdIsMalformedThen404() {
        for (String method : new String[] {"HEAD", "DELETE"}) {
            HttpResponse answer =
                    handler.handle(FakeRequest.of(method, "/not..").header("Tus-Resumable", "1.0.0"));
            assertThat(answer.status()).as(method).isEqualTo(404);
        }
        assertThat(handler.handle(patch("x", 0, new byte[1])).status()).isEqualTo(404);
    }

    @Test
    void creationWhenTheBodyIsLongerThanUploadLengthThen413AndNothingIsCreated() {
        HttpResponse answer = handler.handle(FakeRequest.of("POST", "/")
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Content-Length", "5")
                .body(new byte[5]));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Location")).isNull();
    }

    @Test
    void runningPatchWhenACallerTheHooksRefuseAsksForTheUploadThenItIsNotInterrupted() throws Exception {
        String id = create(100);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (sent == 50) {
                    halfway.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted");
                    }
                }
                if (sent == 100) {
                    return -1;
                }
                int n = Math.min(length, (sent < 50 ? 50 : 100) - sent);
                sent += n;
                return n;
            }
        };
        HttpResponse[] patched = new HttpResponse[1];
        Thread writer = new Thread(() -> patched[0] = handler.handle(FakeRequest.of("PATCH", "/" + id)
                .header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0")
                .header("Content-Length", "100")
                .body(slow)
                .principal(() -> "alice")));
        writer.start();
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse refused = handler.handle(FakeRequest.of("HEAD", "/" + id)
                .header("Tus-Resumable", "1.0.0")
                .principal(() -> "mallory"));
        assertThat(refused.status()).isEqualTo(403);
        release.countDown();
        writer.join(10_000);
        assertThat(patched[0].status()).isEqualTo(204);
        assertThat(patched[0].header("Upload-Offset")).isEqualTo("100");
    }

    /** The in-memory driver, failing appends with an {@link IOException} while {@code storageFails} is set. */
    private final class FlakyStorage implements AppendableStorage {

        @Override
        public StorageConstraints constraints() {
            return memory.constraints();
        }

        @Override
        public Map<String, String> begin(UploadSession session) throws IOException {
            return memory.begin(session);
        }

        @Override
        public void writeChunk(ChunkWrite write) throws IOException {
            memory.writeChunk(write);
        }

        @Override
        public long append(AppendWrite write) throws IOException {
            if (storageFails.get()) {
                throw new IOException("storage unavailable (simulated)");
            }
            return memory.append(write);
        }

        @Override
        public StorageLocation complete(StorageUpload upload) throws IOException {
            return memory.complete(upload);
        }

        @Override
        public void abort(StorageUpload upload) throws IOException {
            memory.abort(upload);
        }
    }
}
