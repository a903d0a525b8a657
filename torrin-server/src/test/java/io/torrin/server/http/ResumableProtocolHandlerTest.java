/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resumable-upload handler's answers beyond the draft's rules, which the black-box kit does not check: the
 * interop version and field syntax, the methods per revision, and how a body that broke off is kept. The draft
 * itself is covered by the conformance kit against real containers.
 */
class ResumableProtocolHandlerTest {

    private final UploadService service = UploadService.builder()
            .storage(InMemoryStorageDriver.create())
            .store(InMemoryUploadStore.create())
            .sweepInterval(Duration.ZERO)
            .maxFileSize(1_000_000)
            .build();
    private final ResumableProtocolHandler handler =
            ResumableProtocolHandler.builder(service).build();

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void requestWhenTheInteropVersionIsUnknownOrMalformedThen400NamingTheSupportedOnes() {
        HttpResponse unknown = handler.handle(create().header("Upload-Draft-Interop-Version", "7"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unknown.bodyText()).contains("5, 6 and 9").contains("\"code\":\"INVALID_REQUEST\"");
        assertThat(handler.handle(create().header("Upload-Draft-Interop-Version", "6x"))
                        .status())
                .isEqualTo(400);
        assertThat(handler.handle(create()).status())
                .as("no header: the latest revision")
                .isEqualTo(201);
    }

    @Test
    void fieldsWhenStructuredValuesCarryParametersThenAcceptedAndWhenTooLongThenRefused() {
        HttpResponse created = handler.handle(FakeRequest.of("POST", "/")
                .header("Upload-Complete", "?0;note=1")
                .header("Upload-Length", "999999999999999"));
        assertThat(created.status()).as("above the maximum size").isEqualTo(413);
        HttpResponse tooLong = handler.handle(FakeRequest.of("POST", "/")
                .header("Upload-Complete", "?0")
                .header("Upload-Length", "1000000000000000"));
        assertThat(tooLong.status()).as("16 digits are no sf-integer").isEqualTo(400);
        HttpResponse withParameters =
                handler.handle(FakeRequest.of("POST", "/").header("Upload-Complete", "?0;note=1"));
        assertThat(withParameters.status()).isEqualTo(201);
        assertThat(withParameters.header("Upload-Limit")).matches("max-size=1000000, max-age=(86[0-3][0-9]{2}|86400)");
    }

    @Test
    void getWhenTheLatestRevisionThenOffsetRetrievalAndWhenAnInteropOneThen405() {
        String id = idOf(handler.handle(create()));
        HttpResponse latest = handler.handle(FakeRequest.of("GET", "/" + id));
        assertThat(latest.status()).isEqualTo(204);
        assertThat(latest.header("Upload-Offset")).isEqualTo("0");
        assertThat(latest.header("Cache-Control")).isEqualTo("no-store");
        HttpResponse interop =
                handler.handle(FakeRequest.of("GET", "/" + id).header("Upload-Draft-Interop-Version", "6"));
        assertThat(interop.status()).isEqualTo(405);
        assertThat(interop.header("Allow")).contains("HEAD", "PATCH", "DELETE");
    }

    @Test
    void appendWhenTheBodyBreaksOffWithUploadCompleteThenWhatArrivedIsKeptAndTheUploadStaysIncomplete()
            throws Exception {
        String id = idOf(handler.handle(create()));
        byte[] data = random(50_000);
        HttpResponse broken = handler.handle(FakeRequest.of("PATCH", "/" + id)
                .header("Upload-Offset", "0")
                .header("Upload-Complete", "?1")
                .header("Content-Type", "application/partial-upload")
                .header("Transfer-Encoding", "chunked")
                .body(breakingAfter(data, 20_000)));
        assertThat(broken.status()).isEqualTo(204);
        assertThat(broken.header("Upload-Complete")).isEqualTo("?0");
        HttpResponse head = handler.handle(FakeRequest.of("HEAD", "/" + id));
        assertThat(head.header("Upload-Offset")).isEqualTo("20000");
        assertThat(head.header("Upload-Complete")).isEqualTo("?0");
        assertThat(head.header("Upload-Length"))
                .as("no length was learnt from a broken body")
                .isNull();
        HttpResponse rest = handler.handle(FakeRequest.of("PATCH", "/" + id)
                .header("Upload-Offset", "20000")
                .header("Upload-Complete", "?1")
                .header("Content-Type", "application/partial-upload")
                .header("Content-Length", "30000")
                .body(Arrays.copyOfRange(data, 20_000, 50_000)));
        assertThat(rest.header("Upload-Complete")).isEqualTo("?1");
        try (InputStream in =
                service.downloads().open(id, RequestContext.none()).open()) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(data));
        }
    }

    @Test
    void builderWhenDownloadsAreAskedForThenRefused() {
        assertThatThrownBy(() -> ResumableProtocolHandler.builder(service)
                        .downloads(DownloadOptions.defaults())
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no downloads");
    }

    private static FakeRequest create() {
        return FakeRequest.of("POST", "/").header("Upload-Complete", "?0");
    }

    private static String idOf(HttpResponse created) {
        assertThat(created.status()).isEqualTo(201);
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A body that delivers its first bytes, then fails as a dropped connection does. */
    private static InputStream breakingAfter(byte[] data, int good) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position >= good) {
                    throw new IOException("connection reset");
                }
                return data[position++] & 0xff;
            }
        };
    }
}
