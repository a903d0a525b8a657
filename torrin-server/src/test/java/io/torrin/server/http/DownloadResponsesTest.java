/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The download answers of the protocol handlers, against the in-memory engine: the range grammar and its edge
 * cases, validators and conditional requests in RFC 9110's order, the safe disposition and type, errors, and the
 * switch that keeps the routes away by default. Real containers and storages are covered by the download
 * conformance kit.
 */
class DownloadResponsesTest {

    private static final DateTimeFormatter HTTP_DATE = DownloadResponses.HTTP_DATE;

    private final Random random = new Random();
    private final UploadService service = UploadService.builder()
            .storage(InMemoryStorageDriver.create())
            .store(InMemoryUploadStore.create())
            .sweepInterval(Duration.ZERO)
            .hook(new UploadHooks() {
                @Override
                public void beforeDownload(UploadSession session, RequestContext context) {
                    if (context.principal().map(p -> p.getName()).orElse("").equals("mallory")) {
                        throw new TorrinException(ErrorCode.FORBIDDEN, "not yours");
                    }
                }
            })
            .build();
    private final TorrinProtocolHandler torrin = TorrinProtocolHandler.builder(service)
            .downloads(
                    DownloadOptions.builder().inlineTypes(Set.of("image/png")).build())
            .build();
    private final TusProtocolHandler tus = TusProtocolHandler.builder(service)
            .downloads(DownloadOptions.defaults())
            .build();

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void wholeFileWhenCompletedThenSameBytesValidatorsAndSafeHeaders() throws IOException {
        byte[] data = randomBytes(70_001);
        String id = upload(data, "report.pdf", "application/pdf", false);

        HttpResponse full = torrin.handle(get(id));

        assertThat(full.status()).isEqualTo(200);
        assertThat(sha256(body(full))).isEqualTo(sha256(data));
        assertThat(full.content().orElseThrow().length()).isEqualTo(data.length);
        assertThat(full.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(full.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(full.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(full.header("Cache-Control")).isEqualTo("private, no-cache");
        assertThat(full.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
        assertThat(full.header("ETag")).matches("\"v-[0-9a-f]{32}\"");
        assertThat(torrin.handle(get(id)).header("ETag")).isEqualTo(full.header("ETag"));
        assertThat(full.header("Last-Modified")).isNotBlank();

        HttpResponse head = torrin.handle(FakeRequest.of("HEAD", "/" + id + "/content"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.content()).isEmpty();
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(data.length));
        assertThat(head.header("ETag")).isEqualTo(full.header("ETag"));
    }

    @Test
    void etagWhenCompletedWithVerifiedHashThenIsTheSha256() {
        byte[] data = randomBytes(4096);
        String id = upload(data, "a.bin", "application/octet-stream", true);

        assertThat(torrin.handle(get(id)).header("ETag")).isEqualTo('"' + sha256(data) + '"');
    }

    @Test
    void rangesWhenAtTheEdgesThenExactSlicesOr416() throws IOException {
        byte[] data = randomBytes(10_000);
        String id = upload(data, "r.bin", "application/octet-stream", false);
        int n = data.length;

        assertSlice(id, "bytes=0-0", data, 0, 1);
        assertSlice(id, "bytes=" + (n - 1) + "-" + (n - 1), data, n - 1, n);
        assertSlice(id, "bytes=-1", data, n - 1, n);
        assertSlice(id, "bytes=-500", data, n - 500, n);
        assertSlice(id, "bytes=-" + (n + 10), data, 0, n);
        assertSlice(id, "bytes=9000-", data, 9000, n);
        assertSlice(id, "bytes=100-99999999999999999999999", data, 100, n);
        assertSlice(id, "BYTES = 10 - 19", data, 10, 20);

        for (String unsatisfiable : new String[] {"bytes=" + n + "-", "bytes=99999999999999999999-", "bytes=-0"}) {
            HttpResponse response = torrin.handle(get(id).header("Range", unsatisfiable));
            assertThat(response.status()).as(unsatisfiable).isEqualTo(416);
            assertThat(response.header("Content-Range")).isEqualTo("bytes */" + n);
            assertThat(response.bodyText()).contains("RANGE_NOT_SATISFIABLE");
        }
        for (String ignored : new String[] {"bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=", "bytes=a-b", "0-1"}) {
            HttpResponse response = torrin.handle(get(id).header("Range", ignored));
            assertThat(response.status()).as(ignored).isEqualTo(200);
            assertThat(sha256(body(response))).isEqualTo(sha256(data));
        }
    }

    @Test
    void ifRangeWhenValidatorMatchesThenPartialElseWholeFile() throws IOException {
        byte[] data = randomBytes(5000);
        String id = upload(data, "r.bin", "application/octet-stream", false);
        HttpResponse first = torrin.handle(get(id));
        String etag = first.header("ETag");
        String lastModified = first.header("Last-Modified");

        HttpResponse resumed =
                torrin.handle(get(id).header("Range", "bytes=1234-").header("If-Range", etag));
        assertThat(resumed.status()).isEqualTo(206);
        byte[] joined = concat(Arrays.copyOfRange(data, 0, 1234), body(resumed));
        assertThat(sha256(joined)).isEqualTo(sha256(data));

        assertThat(torrin.handle(get(id).header("Range", "bytes=1234-").header("If-Range", lastModified))
                        .status())
                .isEqualTo(206);
        assertThat(torrin.handle(get(id).header("Range", "bytes=1234-").header("If-Range", "\"other\""))
                        .status())
                .isEqualTo(200);
        assertThat(torrin.handle(get(id).header("Range", "bytes=1234-").header("If-Range", "W/" + etag))
                        .status())
                .isEqualTo(200);
        assertThat(torrin.handle(get(id).header("Range", "bytes=1234-")
                                .header(
                                        "If-Range",
                                        HTTP_DATE.format(Instant.now().minusSeconds(86_400))))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void conditionalsWhenEvaluatedThenInRfc9110Order() {
        byte[] data = randomBytes(300);
        String id = upload(data, "c.bin", "application/octet-stream", false);
        String etag = torrin.handle(get(id)).header("ETag");
        String past = HTTP_DATE.format(Instant.now().minus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC));
        String future = HTTP_DATE.format(Instant.now().plus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC));

        HttpResponse notModified = torrin.handle(get(id).header("If-None-Match", "\"x\", W/" + etag));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.content()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(torrin.handle(get(id).header("If-None-Match", "*")).status()).isEqualTo(304);
        assertThat(torrin.handle(get(id).header("If-None-Match", "\"x\"")).status())
                .isEqualTo(200);
        assertThat(torrin.handle(get(id).header("If-Modified-Since", future)).status())
                .isEqualTo(304);
        assertThat(torrin.handle(get(id).header("If-Modified-Since", past)).status())
                .isEqualTo(200);
        assertThat(torrin.handle(get(id).header("If-Modified-Since", "yesterday"))
                        .status())
                .isEqualTo(200);
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
        assertThat(torrin.handle(get(id).header("If-None-Match", "\"x\"").header("If-Modified-Since", future))
                        .status())
                .isEqualTo(200);

        assertThat(torrin.handle(get(id).header("If-Match", etag)).status()).isEqualTo(200);
        HttpResponse failed = torrin.handle(get(id).header("If-Match", "\"nope\""));
        assertThat(failed.status()).isEqualTo(412);
        assertThat(failed.bodyText()).contains("PRECONDITION_FAILED");
        assertThat(torrin.handle(get(id).header("If-Unmodified-Since", past)).status())
                .isEqualTo(412);
        assertThat(torrin.handle(get(id).header("If-Unmodified-Since", future)).status())
                .isEqualTo(200);
        // If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2)
        assertThat(torrin.handle(get(id).header("If-Match", etag).header("If-Unmodified-Since", past))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void dispositionWhenFileNameIsUnusualThenPrintableAsciiWithAnEncodedName() {
        String quoted = upload(randomBytes(10), "a \"b\"; c=d gnp.exe", "application/octet-stream", false);
        String disposition = torrin.handle(get(quoted)).header("Content-Disposition");
        assertThat(disposition).matches("[\\x20-\\x7E]+");
        assertThat(disposition).startsWith("attachment; filename=\"a _b_; c=d gnp.exe\"; filename*=UTF-8''");
        String encoded = disposition.substring(disposition.indexOf("filename*=UTF-8''") + 17);
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo("a \"b\"; c=d gnp.exe");

        String unicode = upload(randomBytes(10), "résumé €.txt", "text/plain", false);
        assertThat(torrin.handle(get(unicode)).header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"r_sum_ _.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt");
    }

    @Test
    void typeWhenStoredThenServedIfWellFormedAndInlineOnlyForListedTypes() {
        String png = upload(randomBytes(10), "p.png", "image/png", false);
        assertThat(torrin.handle(get(png)).header("Content-Disposition")).startsWith("inline; ");
        String text = upload(randomBytes(10), "t.txt", "text/plain; charset=utf-8", false);
        assertThat(torrin.handle(get(text)).header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(torrin.handle(get(text)).header("Content-Disposition")).startsWith("attachment; ");
        // a record written by other means (an older version, another tool) is served safely all the same
        assertThat(DownloadResponses.contentType("text/html\r\nSet-Cookie: a=b"))
                .isEqualTo("application/octet-stream");
        assertThat(DownloadResponses.contentType("not a type")).isEqualTo("application/octet-stream");
        assertThat(DownloadResponses.contentType("text/plain\r\n; a=b")).isEqualTo("application/octet-stream");
        assertThat(DownloadResponses.contentType("text/plain;\na=b")).isEqualTo("application/octet-stream");
        assertThat(DownloadResponses.contentType("text/plain;\ta=b")).isEqualTo("text/plain;\ta=b");
        assertThat(DownloadResponses.contentType("text/plain; charset=\"utf-8\""))
                .isEqualTo("text/plain; charset=\"utf-8\"");
    }

    @Test
    void errorsWhenUnknownUnfinishedCanceledOrRefusedThenPreciseCodes() {
        assertThat(torrin.handle(get("AAAAAAAAAAAAAAAAAAAAAA")).status()).isEqualTo(404);
        assertThat(torrin.handle(get("not*an*id")).status()).isIn(400, 404);

        UploadSession unfinished =
                service.initUpload(InitUploadRequest.builder().fileSize(100).build());
        HttpResponse notDone = torrin.handle(get(unfinished.uploadId()));
        assertThat(notDone.status()).isEqualTo(409);
        assertThat(notDone.bodyText()).contains("UPLOAD_NOT_COMPLETED");
        assertThat(tus.handle(FakeRequest.of("GET", "/" + unfinished.uploadId()))
                        .status())
                .isEqualTo(409);

        service.abortUpload(unfinished.uploadId());
        assertThat(torrin.handle(get(unfinished.uploadId())).bodyText()).contains("UPLOAD_CANCELED");
        assertThat(tus.handle(FakeRequest.of("GET", "/" + unfinished.uploadId()))
                        .status())
                .isEqualTo(410);

        String id = upload(randomBytes(10), "m.bin", "application/octet-stream", false);
        assertThat(torrin.handle(get(id).principal(() -> "mallory")).status()).isEqualTo(403);
        assertThat(torrin.handle(FakeRequest.of("GET", "/" + id + "/status").principal(() -> "mallory"))
                        .status())
                .isEqualTo(200);
        assertThat(torrin.handle(FakeRequest.of("PUT", "/" + id + "/content")).status())
                .isEqualTo(405);
    }

    @Test
    void tusGetWhenCompletedThenServesTheFileWithoutTusResumable() throws IOException {
        byte[] data = randomBytes(2048);
        String id = upload(data, "t.bin", "application/octet-stream", false);

        HttpResponse response = tus.handle(FakeRequest.of("GET", "/" + id).header("Range", "bytes=-48"));

        assertThat(response.status()).isEqualTo(206);
        assertThat(sha256(body(response))).isEqualTo(sha256(Arrays.copyOfRange(data, 2000, 2048)));
        assertThat(tus.handle(FakeRequest.of("OPTIONS", "/" + id)).header("Allow"))
                .contains("GET");
    }

    @Test
    void emptyFileWhenDownloadedThenEmptyBodyAndEveryRangeUnsatisfiable() {
        String id = tus.handle(FakeRequest.of("POST", "/")
                        .header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", "0"))
                .header("Location")
                .replaceAll(".*/", "");

        HttpResponse empty = torrin.handle(get(id));
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.content()).isEmpty();
        assertThat(empty.header("Content-Length")).isEqualTo("0");
        assertThat(torrin.handle(get(id).header("Range", "bytes=0-")).status()).isEqualTo(416);
        assertThat(torrin.handle(get(id).header("Range", "bytes=-5")).status()).isEqualTo(416);
    }

    @Test
    void routesWhenDownloadsAreOffThenAbsent() {
        TorrinProtocolHandler plain = TorrinProtocolHandler.builder(service).build();
        TusProtocolHandler plainTus = TusProtocolHandler.builder(service).build();
        String id = upload(randomBytes(10), "x.bin", "application/octet-stream", false);

        assertThat(plain.handle(get(id)).status()).isEqualTo(404);
        assertThat(plain.handle(get(id)).bodyText()).contains("ROUTE_NOT_FOUND");
        assertThat(plainTus.handle(FakeRequest.of("GET", "/" + id)).status()).isEqualTo(405);
    }

    private void assertSlice(String id, String range, byte[] data, int from, int to) throws IOException {
        HttpResponse response = torrin.handle(get(id).header("Range", range));
        assertThat(response.status()).as(range).isEqualTo(206);
        assertThat(response.header("Content-Range"))
                .as(range)
                .isEqualTo("bytes " + from + "-" + (to - 1) + "/" + data.length);
        assertThat(sha256(body(response))).as(range).isEqualTo(sha256(Arrays.copyOfRange(data, from, to)));
    }

    private String upload(byte[] data, String name, String type, boolean withHash) {
        UploadSession session = service.initUpload(InitUploadRequest.builder()
                .fileSize(data.length)
                .fileName(name)
                .mimeType(type)
                .desiredChunkSize(Math.max(1, data.length))
                .build());
        service.handleChunk(new ChunkRequest(
                session.uploadId(), 0, OptionalLong.of(data.length), new ByteArrayInputStream(data), Optional.empty()));
        service.completeUpload(
                session.uploadId(), withHash ? Optional.of(sha256(data)) : Optional.empty(), RequestContext.none());
        return session.uploadId();
    }

    private static FakeRequest get(String id) {
        return FakeRequest.of("GET", "/" + id + "/content");
    }

    private static byte[] body(HttpResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (response.content().isPresent()) {
            response.content().get().writeTo(out);
        }
        return out.toByteArray();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
