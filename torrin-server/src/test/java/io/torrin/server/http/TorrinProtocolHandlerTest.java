/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorrinProtocolHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryStorageDriver driver = InMemoryStorageDriver.create();
    private final InMemoryUploadStore store = InMemoryUploadStore.create();
    private final List<String> hookLog = new ArrayList<>();
    private final UploadService service = UploadService.builder()
            .storage(driver)
            .store(store)
            .sweepInterval(Duration.ZERO)
            .lockTimeout(Duration.ofMillis(200))
            .hook(new UploadHooks() {
                @Override
                public void beforeStatus(UploadSession session, RequestContext context) {
                    hookLog.add(context.principal().map(Principal::getName).orElse("-") + " "
                            + context.header("x-tenant").orElse("-"));
                }
            })
            .build();

    @AfterEach
    void close() {
        service.close();
    }

    private HttpResponse send(FakeRequest request) {
        return handler(b -> {}).handle(request);
    }

    private TorrinProtocolHandler handler(Consumer<TorrinProtocolHandler.Builder> customizer) {
        TorrinProtocolHandler.Builder builder = TorrinProtocolHandler.builder(service);
        customizer.accept(builder);
        return builder.build();
    }

    private static JsonNode json(HttpResponse response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse response, int status, String code) throws IOException {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.header("Content-Type")).startsWith("application/json");
    }

    private JsonNode create(long fileSize) throws IOException {
        HttpResponse response = send(FakeRequest.of("POST", "/").json("{\"fileSize\": " + fileSize + "}"));
        assertThat(response.status()).as(response.bodyText()).isEqualTo(201);
        return json(response);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void createWhenValidThenSessionJsonLocationAndNoStore() throws IOException {
        HttpResponse response = send(FakeRequest.of("POST", "").json("""
                {"fileName": "a.mp4", "fileSize": 3000000, "mimeType": "video/mp4",
                 "metadata": {"userId": "123", "count": 7, "ok": true, "skip": null}, "desiredChunkSize": 1048576}"""));
        assertThat(response.status()).isEqualTo(201);
        JsonNode body = json(response);
        String id = body.get("uploadId").asText();
        assertThat(response.header("Location")).isEqualTo("http://localhost:8080/app/torrin/uploads/" + id);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(body.get("fileName").asText()).isEqualTo("a.mp4");
        assertThat(body.get("fileSize").asLong()).isEqualTo(3_000_000);
        assertThat(body.get("mimeType").asText()).isEqualTo("video/mp4");
        assertThat(body.get("chunkSize").asLong()).isEqualTo(1_048_576);
        assertThat(body.get("totalChunks").asInt()).isEqualTo(3);
        assertThat(body.get("status").asText()).isEqualTo("pending");
        assertThat(body.get("metadata").toString()).isEqualTo("{\"userId\":\"123\",\"count\":7,\"ok\":true}");
        assertThat(body.get("expiresAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"fileSize\": null}",
                "{\"fileSize\": \"100\"}",
                "{\"fileSize\": 1.5}",
                "{\"fileSize\": 1.0}",
                "{\"fileSize\": 1e3}",
                "{\"fileSize\": 0}",
                "{\"fileSize\": -1}",
                "{\"fileSize\": 99999999999999999999999}",
                "{\"fileSize\": true}",
                "[1]",
                "42",
                "\"x\"",
                "{",
                "{\"fileSize\": 10, \"fileSize\": 20}",
                "{\"fileSize\": 10, \"fileName\": 5}",
                "{\"fileSize\": 10, \"fileName\": \"../../etc/passwd\"}",
                "{\"fileSize\": 10, \"metadata\": [1]}",
                "{\"fileSize\": 10, \"metadata\": {\"a\": {\"b\": 1}}}",
                "{\"fileSize\": 10, \"metadata\": {\"a\": [1]}}",
                "{\"fileSize\": 10, \"mimeType\": \"nope\"}",
                "{\"fileSize\": 10, \"desiredChunkSize\": 0}",
                "{\"fileSize\": 10, \"desiredChunkSize\": 2.5}",
                "   ",
                ""
            })
    void createWhenBodyInvalidThenInvalidRequest(String body) throws IOException {
        assertError(send(FakeRequest.of("POST", "/").json(body)), 400, "INVALID_REQUEST");
    }

    @Test
    void createWhenBodyTooLargeOrNotJsonThenPreciseErrors() throws IOException {
        String huge = "{\"fileSize\": 10, \"metadata\": {\"k\": \"" + "x".repeat(70_000) + "\"}}";
        assertError(send(FakeRequest.of("POST", "/").json(huge)), 413, "PAYLOAD_TOO_LARGE");
        assertError(
                send(FakeRequest.of("POST", "/")
                        .header("Content-Type", "text/plain")
                        .body("{\"fileSize\": 10}".getBytes(StandardCharsets.UTF_8))),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertError(
                send(FakeRequest.of("POST", "/")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body("fileSize=10".getBytes(StandardCharsets.UTF_8))),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse noType =
                send(FakeRequest.of("POST", "/").body("{\"fileSize\": 10}".getBytes(StandardCharsets.UTF_8)));
        assertThat(noType.status()).isEqualTo(201);
        HttpResponse charset = send(FakeRequest.of("POST", "/")
                .header("Content-Type", "application/json; charset=utf-8")
                .body("{\"fileSize\": 10}".getBytes(StandardCharsets.UTF_8)));
        assertThat(charset.status()).isEqualTo(201);
    }

    @Test
    void wholeUploadWhenDrivenOverTheProtocolThenBytesMatch() throws Exception {
        byte[] file = new byte[600_000];
        new Random().nextBytes(file);
        String id = send(FakeRequest.of("POST", "/").json("{\"fileSize\": 600000, \"desiredChunkSize\": 262144}"))
                .bodyText()
                .replaceAll(".*\"uploadId\":\"([a-z2-7]+)\".*", "$1");
        for (int i = 2; i >= 0; i--) {
            byte[] chunk = Arrays.copyOfRange(file, i * 262144, Math.min(file.length, (i + 1) * 262144));
            HttpResponse put = send(FakeRequest.of("PUT", "/" + id + "/chunks/" + i)
                    .header("Content-Length", Integer.toString(chunk.length))
                    .header(TorrinProtocolHandler.CHUNK_HASH_HEADER, sha256(chunk))
                    .body(chunk));
            assertThat(put.status()).as(put.bodyText()).isEqualTo(200);
            assertThat(json(put).get("receivedIndex").asInt()).isEqualTo(i);
            assertThat(json(put).get("status").asText()).isEqualTo("in_progress");
        }
        HttpResponse status = send(FakeRequest.of("GET", "/" + id + "/status")
                .header("X-Tenant", "acme")
                .principal(() -> "alice"));
        assertThat(status.header("Cache-Control")).isEqualTo("no-store");
        assertThat(json(status).get("receivedChunks").toString()).isEqualTo("[0,1,2]");
        assertThat(json(status).get("missingChunks").toString()).isEqualTo("[]");
        assertThat(hookLog).containsExactly("alice acme");
        HttpResponse complete =
                send(FakeRequest.of("POST", "/" + id + "/complete").json("{\"hash\": \"" + sha256(file) + "\"}"));
        assertThat(complete.status()).as(complete.bodyText()).isEqualTo(200);
        JsonNode body = json(complete);
        assertThat(body.get("status").asText()).isEqualTo("completed");
        assertThat(body.get("location").get("type").asText()).isEqualTo("memory");
        assertThat(body.get("metadata").isObject()).isTrue();
        assertThat(driver.read(new StorageLocation("memory", Map.of("key", id))))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(file));
        assertError(send(FakeRequest.of("POST", "/" + id + "/complete")), 409, "UPLOAD_ALREADY_COMPLETED");
    }

    @ParameterizedTest
    @CsvSource({
        "1.5,400,INVALID_REQUEST",
        "abc,400,INVALID_REQUEST",
        "01,400,INVALID_REQUEST",
        "+1,400,INVALID_REQUEST",
        "1e2,400,INVALID_REQUEST",
        "' 1',400,INVALID_REQUEST",
        "-1,400,CHUNK_OUT_OF_RANGE",
        "3,400,CHUNK_OUT_OF_RANGE",
        "99999999999,400,INVALID_REQUEST",
        "4294967296,400,CHUNK_OUT_OF_RANGE"
    })
    void chunkWhenIndexMalformedOrOutOfRangeThenPreciseError(String index, int status, String code) throws IOException {
        String id = create(600_000).get("uploadId").asText();
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/" + index)
                        .header("Content-Length", "10")
                        .body(new byte[10])),
                status,
                code);
    }

    @Test
    void chunkWhenLengthHeaderWrongOrBodyShortThenNotRecorded() throws IOException {
        String id = create(600_000).get("uploadId").asText();
        HttpResponse wrong = send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                .header("Content-Length", "10")
                .body(new byte[10]));
        assertError(wrong, 400, "CHUNK_SIZE_MISMATCH");
        assertThat(json(wrong).get("error").get("details").get("expected").asLong())
                .isEqualTo(600_000);
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                        .header("Content-Length", "ten")
                        .body(new byte[10])),
                400,
                "INVALID_REQUEST");
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0").body(new byte[599_999])),
                400,
                "CHUNK_SIZE_MISMATCH");
        assertThat(json(send(FakeRequest.of("GET", "/" + id + "/status")))
                        .get("receivedChunks")
                        .size())
                .isZero();
        HttpResponse streamed =
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0").body(new byte[600_000]));
        assertThat(streamed.status())
                .as("no Content-Length: exact byte count verified")
                .isEqualTo(200);
    }

    @Test
    void chunkWhenBodyBreaksOffThenSizeMismatchInterruptedAndNotRecorded() throws IOException {
        String id = create(600_000).get("uploadId").asText();
        InputStream breaking = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 1000) {
                    return 1;
                }
                throw new IOException("client went away");
            }
        };
        HttpResponse response = send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                .header("Content-Length", "600000")
                .body(breaking));
        assertError(response, 400, "CHUNK_SIZE_MISMATCH");
        assertThat(json(response).get("error").get("details").get("interrupted").asBoolean())
                .isTrue();
        assertThat(json(send(FakeRequest.of("GET", "/" + id + "/status")))
                        .get("missingChunks")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void chunkWhenHashHeaderDoesNotMatchThenChunkHashMismatch() throws IOException {
        String id = create(100).get("uploadId").asText();
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                        .header("Content-Length", "100")
                        .header(TorrinProtocolHandler.CHUNK_HASH_HEADER, "0".repeat(64))
                        .body(new byte[100])),
                400,
                "CHUNK_HASH_MISMATCH");
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                        .header("Content-Length", "100")
                        .header(TorrinProtocolHandler.CHUNK_HASH_HEADER, "md5:abc")
                        .body(new byte[100])),
                400,
                "INVALID_REQUEST");
    }

    @Test
    void completeWhenBodyMalformedThenInvalidRequestAndWhenMissingChunksThenList() throws IOException {
        String id = create(600_000).get("uploadId").asText();
        assertError(send(FakeRequest.of("POST", "/" + id + "/complete").json("{\"hash\": 5}")), 400, "INVALID_REQUEST");
        assertError(send(FakeRequest.of("POST", "/" + id + "/complete").json("[")), 400, "INVALID_REQUEST");
        HttpResponse missing =
                send(FakeRequest.of("POST", "/" + id + "/complete").json("{}"));
        assertError(missing, 400, "MISSING_CHUNKS");
        assertThat(json(missing)
                        .get("error")
                        .get("details")
                        .get("missingChunks")
                        .toString())
                .isEqualTo("[0]");
    }

    @Test
    void abortWhenCalledThen204AndLaterChunksCanceled() throws IOException {
        String id = create(100).get("uploadId").asText();
        HttpResponse abort = send(FakeRequest.of("DELETE", "/" + id));
        assertThat(abort.status()).isEqualTo(204);
        assertThat(abort.body()).isEmpty();
        assertError(
                send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                        .header("Content-Length", "100")
                        .body(new byte[100])),
                409,
                "UPLOAD_CANCELED");
        assertThat(json(send(FakeRequest.of("GET", "/" + id + "/status")))
                        .get("status")
                        .asText())
                .isEqualTo("canceled");
    }

    @ParameterizedTest
    @CsvSource({
        "GET,/,POST",
        "PUT,/,POST",
        "GET,/abcdefghijklmnopqrst,DELETE",
        "POST,/abcdefghijklmnopqrst/status,GET",
        "GET,/abcdefghijklmnopqrst/complete,POST",
        "POST,/abcdefghijklmnopqrst/chunks/0,PUT",
        "PATCH,/abcdefghijklmnopqrst/chunks/0,PUT"
    })
    void requestWhenMethodWrongThen405WithAllow(String method, String path, String allowed) throws IOException {
        HttpResponse response = send(FakeRequest.of(method, path));
        assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains(allowed);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/a/b/c/d",
                "/abcdefghijklmnopqrst/unknown",
                "//",
                "/abcdefghijklmnopqrst/chunks/",
                "/abcdefghijklmnopqrst/chunks",
                "/abcdefghijklmnopqrst/status/",
                "/x/y"
            })
    void requestWhenRouteUnknownThen404RouteNotFound(String path) throws IOException {
        assertError(send(FakeRequest.of("GET", path)), 404, "ROUTE_NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/..%2F..%2Fetc/status",
                "/short/status",
                "/has%20space%20inside%20it/status",
                "/%C3%BCnicode-0123456789/status"
            })
    void requestWhenIdMalformedThenInvalidRequest(String path) throws IOException {
        assertError(send(FakeRequest.of("GET", path)), 400, "INVALID_REQUEST");
    }

    @Test
    void requestWhenUploadUnknownThen404UploadNotFound() throws IOException {
        assertError(send(FakeRequest.of("GET", "/abcdefghijklmnopqrstuvwxyz234567/status")), 404, "UPLOAD_NOT_FOUND");
        assertError(send(FakeRequest.of("DELETE", "/abcdefghijklmnopqrstuvwxyz234567")), 404, "UPLOAD_NOT_FOUND");
    }

    @Test
    void corsWhenDisabledThenNoHeadersAndOptionsAnswersAllow() {
        HttpResponse options = send(FakeRequest.of("OPTIONS", "/")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Access-Control-Allow-Origin")).isNull();
        assertThat(options.header("Allow")).isEqualTo("POST, OPTIONS");
    }

    @Test
    void corsWhenEnabledThenPreflightAndActualResponsesCarryHeadersForAllowedOriginsOnly() throws IOException {
        TorrinProtocolHandler handler = handler(b -> b.cors(CorsPolicy.allowOrigins("https://app.example")));
        HttpResponse preflight = handler.handle(FakeRequest.of("OPTIONS", "/abcdefghijklmnopqrst/chunks/0")
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type, x-torrin-chunk-hash"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("PUT, OPTIONS");
        assertThat(handler.handle(FakeRequest.of("OPTIONS", "/")
                                .header("Origin", "https://evil.example")
                                .header("Access-Control-Request-Method", "POST"))
                        .status())
                .isEqualTo(403);
        assertThat(handler.handle(FakeRequest.of("OPTIONS", "/")
                                .header("Origin", "https://app.example")
                                .header("Access-Control-Request-Method", "POST")
                                .header("Access-Control-Request-Headers", "x-evil"))
                        .status())
                .isEqualTo(403);
        HttpResponse created = handler.handle(FakeRequest.of("POST", "/")
                .header("Origin", "https://app.example")
                .json("{\"fileSize\": 5}"));
        assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(created.header("Access-Control-Expose-Headers")).contains("Location");
        HttpResponse error =
                handler.handle(FakeRequest.of("GET", "/nope/nope/nope/nope").header("Origin", "https://app.example"));
        assertThat(error.header("Access-Control-Allow-Origin"))
                .as("errors are readable too")
                .isEqualTo("https://app.example");
        HttpResponse foreign = handler.handle(FakeRequest.of("POST", "/")
                .header("Origin", "https://evil.example")
                .json("{\"fileSize\": 5}"));
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void locationWhenForwardedHeadersThenUsedOnlyIfTrusted() throws IOException {
        FakeRequest proxied = FakeRequest.of("POST", "/")
                .json("{\"fileSize\": 5}")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "files.example.com")
                .header("X-Forwarded-Prefix", "/edge");
        String untrusted = send(proxied).header("Location");
        assertThat(untrusted).startsWith("http://localhost:8080/app/torrin/uploads/");
        FakeRequest again = FakeRequest.of("POST", "/")
                .json("{\"fileSize\": 5}")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "files.example.com")
                .header("X-Forwarded-Prefix", "/edge");
        String trusted =
                handler(b -> b.trustForwardedHeaders(true)).handle(again).header("Location");
        assertThat(trusted).startsWith("https://files.example.com/edge/app/torrin/uploads/");
        String rfc7239 = handler(b -> b.trustForwardedHeaders(true))
                .handle(FakeRequest.of("POST", "/")
                        .json("{\"fileSize\": 5}")
                        .header("Forwarded", "for=1.2.3.4;proto=https;host=up.example:8443"))
                .header("Location");
        assertThat(rfc7239).startsWith("https://up.example:8443/app/torrin/uploads/");
        String hostile = handler(b -> b.trustForwardedHeaders(true))
                .handle(FakeRequest.of("POST", "/")
                        .json("{\"fileSize\": 5}")
                        .header("X-Forwarded-Host", "evil.example/<script>"))
                .header("Location");
        assertThat(hostile).startsWith("http://localhost:8080/app/torrin/uploads/");
    }

    @Test
    void errorWhenUploadLockedThen423WithRetryAfter() throws Exception {
        String id = create(600_000).get("uploadId").asText();
        HttpResponse locked;
        try (UploadLock held = store.locks().acquire(id, LockMode.EXCLUSIVE, Duration.ofSeconds(1))) {
            locked = send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                    .header("Content-Length", "5")
                    .body(new ByteArrayInputStream(new byte[5])));
        }
        assertError(locked, 423, "UPLOAD_LOCKED");
        assertThat(locked.header("Retry-After")).matches("[0-9]+");
    }

    @Test
    void abortWhenAChunkWriteStallsThenTheWriteIsEndedUnrecordedAndTheUploadCanceled() throws Exception {
        String id = create(600_000).get("uploadId").asText();
        CountDownLatch reading = new CountDownLatch(1);
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                reading.countDown();
                try {
                    new CountDownLatch(1).await();
                    return -1;
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
            }
        };
        AtomicReference<HttpResponse> chunk = new AtomicReference<>();
        Thread writer = new Thread(() -> chunk.set(send(FakeRequest.of("PUT", "/" + id + "/chunks/0")
                .header("Content-Length", "600000")
                .body(stalled))));
        writer.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse aborted = send(FakeRequest.of("DELETE", "/" + id));
        writer.join(10_000);
        assertThat(aborted.status()).isEqualTo(204);
        assertThat(chunk.get().status()).isEqualTo(400);
        assertThat(new String(chunk.get().body(), StandardCharsets.UTF_8)).contains("CHUNK_SIZE_MISMATCH");
    }
}
