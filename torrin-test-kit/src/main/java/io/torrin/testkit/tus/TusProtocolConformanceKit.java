/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.RawHttp;
import io.torrin.testkit.tus.RawExchange.Reply;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Black-box conformance of a tus 1.0.0 server (core protocol and the creation, creation-with-upload,
 * creation-defer-length, expiration, checksum, checksum-trailer, termination, concatenation and
 * concatenation-unfinished extensions), over real HTTP with the JDK {@link HttpClient} and, for chunked bodies
 * with trailers and broken-off requests, raw sockets. A subclass names the creation endpoint and the server's
 * maximum upload size:
 *
 * <pre>{@code
 * class MyTusServerTest extends TusProtocolConformanceKit {
 *     protected URI creationUrl() { return URI.create("http://127.0.0.1:" + port + "/tus"); }
 *     protected long maxSize() { return 64L * 1024 * 1024; }
 * }
 * }</pre>
 *
 * Uploads are expected at {@code creationUrl() + "/" + id}. Every upload carries random bytes; when it is
 * complete, the suite checks the offset and length reported by {@code HEAD} and, if the subclass can read the
 * server's storage through {@link #storedBytes(URI)}, the SHA-256 of the stored bytes (partial and final uploads of
 * the concatenation extension included). The largest upload is
 * 1 MiB, so the server's maximum size must be at least that. Every answer, errors and {@code OPTIONS} included,
 * must carry {@code Tus-Resumable: 1.0.0}.
 */
public abstract class TusProtocolConformanceKit extends TusStrictConformance {

    @Nested
    @DisplayName("creation-defer-length")
    class DeferLength {

        @Test
        @DisplayName("an upload created with Upload-Defer-Length: 1 takes bytes, then its length with a later PATCH")
        void deferred() throws Exception {
            Reply created = expect(create(null, "Upload-Defer-Length", "1"), 201);
            assertThat(number(created, "Upload-Offset")).isZero();
            assertExpiresInFuture(created);
            Upload upload = new Upload(location(created), TestFiles.randomBytes(5_000));
            assertDeferred(upload.url(), 0);
            Reply first = expect(patch(upload.url(), 0, upload.slice(0, 1_000)), 204);
            assertThat(number(first, "Upload-Offset")).isEqualTo(1_000);
            assertDeferred(upload.url(), 1_000);
            Reply second = expect(patch(upload.url(), 1_000, upload.slice(1_000, 2_000), "Upload-Length", "5000"), 204);
            assertThat(number(second, "Upload-Offset")).isEqualTo(2_000);
            Reply head = expect(head(upload.url()), 200);
            assertThat(number(head, "Upload-Length")).isEqualTo(5_000);
            assertThat(header(head, "Upload-Defer-Length")).isEmpty();
            assertOffset(upload.url(), 2_000);
            finish(upload);
        }

        @Test
        @DisplayName(
                "a declared length below the bytes it would hold is 400, above Tus-Max-Size 413; nothing " + "changes")
        void lengthTooSmallOrLarge() throws Exception {
            Upload upload = new Upload(location(create(null, "Upload-Defer-Length", "1")), TestFiles.randomBytes(1500));
            expect(patch(upload.url(), 0, upload.slice(0, 1_000)), 204);
            for (long length : new long[] {1_200, 999, 0}) {
                Reply reply =
                        patch(upload.url(), 1_000, upload.slice(1_000, 1_500), "Upload-Length", Long.toString(length));
                assertThat(reply.status())
                        .as("PATCH of 500 bytes at 1000 with Upload-Length %d", length)
                        .isEqualTo(400);
                assertDeferred(upload.url(), 1_000);
            }
            expect(
                    patch(
                            upload.url(),
                            1_000,
                            upload.slice(1_000, 1_500),
                            "Upload-Length",
                            Long.toString(maxSize() + 1)),
                    413);
            assertDeferred(upload.url(), 1_000);
            expect(patch(upload.url(), 1_000, upload.slice(1_000, 1_500), "Upload-Length", "1500"), 204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("changing a known length is 400 and changes nothing")
        void lengthChange() throws Exception {
            Upload upload = new Upload(location(create(null, "Upload-Defer-Length", "1")), TestFiles.randomBytes(300));
            expect(patch(upload.url(), 0, upload.slice(0, 100), "Upload-Length", "300"), 204);
            expect(patch(upload.url(), 100, upload.slice(100, 200), "Upload-Length", "400"), 400);
            assertOffset(upload.url(), 100);
            assertThat(number(expect(head(upload.url()), 200), "Upload-Length")).isEqualTo(300);

            Upload fixed = newUpload(50);
            expect(patch(fixed.url(), 0, fixed.slice(0, 10), "Upload-Length", "60"), 400);
            assertOffset(fixed.url(), 0);
            finish(upload);
            finish(fixed);
        }

        private void assertDeferred(URI url, long offset) throws Exception {
            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isEqualTo(offset);
            assertThat(required(head, "Upload-Defer-Length")).isEqualTo("1");
            assertThat(header(head, "Upload-Length")).isEmpty();
        }
    }

    @Nested
    @DisplayName("checksum")
    class Checksum {

        @Test
        @DisplayName("PATCHes with a matching md5, sha1 or sha256 Upload-Checksum are accepted")
        void matching() throws Exception {
            Upload upload = newUpload(30_000);
            long offset = 0;
            for (String algorithm : List.of("md5", "sha1", "sha256")) {
                byte[] piece = upload.slice(offset, offset + 10_000);
                Reply reply =
                        expect(patch(upload.url(), offset, piece, "Upload-Checksum", checksum(algorithm, piece)), 204);
                offset += 10_000;
                assertThat(number(reply, "Upload-Offset")).isEqualTo(offset);
            }
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a mismatching Upload-Checksum is 460 and the bytes are discarded")
        void mismatch() throws Exception {
            Upload upload = newUpload(20_000);
            expect(patch(upload.url(), 0, upload.slice(0, 10_000)), 204);
            byte[] piece = upload.slice(10_000, 20_000);
            byte[] other = piece.clone();
            other[4321] ^= 1;
            for (String algorithm : List.of("md5", "sha1", "sha256")) {
                Reply reply = patch(upload.url(), 10_000, piece, "Upload-Checksum", checksum(algorithm, other));
                assertThat(reply.status())
                        .as("PATCH with a wrong %s", algorithm)
                        .isEqualTo(460);
                assertOffset(upload.url(), 10_000);
            }
            expect(patch(upload.url(), 10_000, piece, "Upload-Checksum", checksum("sha1", piece)), 204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("an unsupported algorithm or a malformed Upload-Checksum is 400 and the bytes are discarded")
        void invalid() throws Exception {
            Upload upload = newUpload(100);
            String digest = checksum("sha1", upload.data()).substring("sha1 ".length());
            for (String value : List.of(
                    "crc99 AAAA",
                    "sha1",
                    "sha1 @@@@",
                    "sha1 " + digest + " " + digest,
                    "sha1:" + digest,
                    "sha1 " + digest.substring(1))) {
                Reply reply = patch(upload.url(), 0, upload.data(), "Upload-Checksum", value);
                assertThat(reply.status())
                        .as("PATCH with Upload-Checksum: %s", value)
                        .isEqualTo(400);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }
    }

    @Nested
    @DisplayName("checksum-trailer and chunked bodies")
    class ChecksumTrailer {

        @Test
        @DisplayName("a chunked PATCH without checksum stores every byte sent")
        void chunked() throws Exception {
            Upload upload = newUpload(1 + 1000 + 70 * 1024 + 3000);
            Reply reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(upload.data(), 1, 1000, 70 * 1024, 3000),
                            Map.of(),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(upload.data().length);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a matching Upload-Checksum trailer is accepted")
        void matching() throws Exception {
            Upload upload = newUpload(60_000);
            byte[] first = upload.slice(0, 25_000);
            Reply reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(first, 7, 16_384, 8_609),
                            Map.of("Upload-Checksum", checksum("sha256", first)),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(25_000);
            byte[] rest = upload.slice(25_000, 60_000);
            reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(rest, 30_000, 5_000),
                            Map.of("Upload-Checksum", checksum("md5", rest)),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "25000"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(60_000);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a mismatching Upload-Checksum trailer is 460 and the bytes are discarded")
        void mismatch() throws Exception {
            Upload upload = newUpload(40_000);
            byte[] other = upload.data().clone();
            other[39_999] ^= 1;
            Reply reply = sendChunked(
                    "PATCH",
                    upload.url(),
                    pieces(upload.data(), 20_000, 20_000),
                    Map.of("Upload-Checksum", checksum("sha1", other)),
                    "Content-Type",
                    OFFSET_OCTET_STREAM,
                    "Upload-Offset",
                    "0");
            expect(reply, 460);
            assertOffset(upload.url(), 0);
            expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(upload.data(), 20_000, 20_000),
                            Map.of("Upload-Checksum", checksum("sha1", upload.data())),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertComplete(upload.url(), upload.data());
        }

        private static List<byte[]> pieces(byte[] data, int... sizes) {
            List<byte[]> pieces = new ArrayList<>();
            int from = 0;
            for (int size : sizes) {
                pieces.add(Arrays.copyOfRange(data, from, from + size));
                from += size;
            }
            assertThat(from).isEqualTo(data.length);
            return pieces;
        }
    }

    @Nested
    @DisplayName("termination")
    class Termination {

        @Test
        @DisplayName("DELETE answers 204; the upload is then 404 or 410 to HEAD, PATCH and DELETE")
        void terminate() throws Exception {
            Upload upload = newUpload(100);
            expect(patch(upload.url(), 0, upload.slice(0, 50)), 204);
            expect(delete(upload.url()), 204);
            expectOneOf(head(upload.url()), 404, 410);
            expectOneOf(patch(upload.url(), 50, upload.slice(50, 100)), 404, 410);
            expectOneOf(delete(upload.url()), 404, 410);
        }

        @Test
        @DisplayName("a complete upload can be terminated too")
        void deleteComplete() throws Exception {
            Upload upload = newUpload(100);
            finish(upload);
            expect(delete(upload.url()), 204);
            expectOneOf(head(upload.url()), 404, 410);
        }

        @Test
        @DisplayName("DELETE on an unknown upload is 404")
        void deleteUnknown() throws Exception {
            expect(delete(unknownUrl()), 404);
        }
    }

    @Nested
    @DisplayName("concatenation")
    class Concatenation {

        @Test
        @DisplayName("partials listed by absolute URL concatenate into a final upload with its own metadata; PATCH "
                + "on it is 403")
        void absoluteUrls() throws Exception {
            concatenate(false);
        }

        @Test
        @DisplayName("partials listed by path concatenate into a final upload")
        void paths() throws Exception {
            concatenate(true);
        }

        private void concatenate(boolean paths) throws Exception {
            Upload first = newPartial(70_001);
            Upload second = newUpload(1_234, "Upload-Concat", "partial", "Upload-Metadata", "name " + b64("part"));
            finish(first);
            finish(second);
            String list = reference(first, paths) + " " + reference(second, paths);
            Reply created = expect(
                    create(null, "Upload-Concat", "final;" + list, "Upload-Metadata", "name " + b64("final")), 201);
            URI url = location(created);
            byte[] whole = concat(first.data(), second.data());

            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Length")).isEqualTo(whole.length);
            assertThat(number(head, "Upload-Offset")).isEqualTo(whole.length);
            assertFinalConcat(head, first, second);
            assertThat(decodedMetadata(required(head, "Upload-Metadata")))
                    .isEqualTo(decodedMetadata("name " + b64("final")));
            assertComplete(url, whole);

            expect(patch(url, whole.length, new byte[] {1}), 403);
            expect(patch(url, 0, whole), 403);
            assertComplete(url, whole);
            assertComplete(first.url(), first.data());
            assertComplete(second.url(), second.data());
        }

        @Test
        @DisplayName("a final upload with Upload-Length, or listing an unknown or a non-partial upload, is 400")
        void invalidFinals() throws Exception {
            Upload first = newPartial(100);
            Upload second = newPartial(200);
            finish(first);
            finish(second);
            String list = first.url() + " " + second.url();
            Reply withLength = create(null, "Upload-Concat", "final;" + list, "Upload-Length", "300");
            expect(withLength, 400);
            assertNothingCreated(withLength);

            Reply unknown = create(null, "Upload-Concat", "final;" + first.url() + " " + unknownUrl());
            expect(unknown, 400);
            assertNothingCreated(unknown);

            Upload plain = newUpload(10);
            finish(plain);
            Reply notPartial = create(null, "Upload-Concat", "final;" + first.url() + " " + plain.url());
            expect(notPartial, 400);
            assertNothingCreated(notPartial);
        }
    }

    @Nested
    @DisplayName("concatenation-unfinished")
    class ConcatenationUnfinished {

        @Test
        @DisplayName("a final upload of unfinished partials has no Upload-Offset until the last partial completes")
        void unfinished() throws Exception {
            Upload first = newPartial(50_000);
            Upload second = newPartial(30_000);
            finish(first);
            expect(patch(second.url(), 0, second.slice(0, 10_000)), 204);
            URI url = location(create(null, "Upload-Concat", "final;" + first.url() + " " + second.url()));
            long length = first.data().length + second.data().length;

            Reply head = expect(head(url), 200);
            assertThat(header(head, "Upload-Offset"))
                    .as("Upload-Offset of an unfinished final upload")
                    .isEmpty();
            assertThat(number(head, "Upload-Length"))
                    .as("the length of the final upload is known: the partials' " + "lengths are")
                    .isEqualTo(length);
            assertFinalConcat(head, first, second);
            expect(patch(url, 0, first.data()), 403);

            finish(second);
            head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isEqualTo(length);
            assertThat(number(head, "Upload-Length")).isEqualTo(length);
            assertComplete(url, concat(first.data(), second.data()));
        }

        @Test
        @DisplayName("a final upload whose unfinished partial is terminated is gone too (404 or 410), not waiting "
                + "forever")
        void partialTerminated() throws Exception {
            Upload first = newPartial(50_000);
            Upload second = newPartial(30_000);
            finish(first);
            URI url = location(create(null, "Upload-Concat", "final;" + first.url() + " " + second.url()));
            expect(head(url), 200);
            expect(delete(second.url()), 204);
            assertThat(head(url).status())
                    .as("HEAD of the final upload after its partial was terminated")
                    .isIn(404, 410);
            expect(head(first.url()), 200);
        }
    }

    @Nested
    @DisplayName("CORS")
    class Cors {

        private static final List<String> TUS_HEADERS = List.of(
                "tus-resumable",
                "upload-length",
                "upload-offset",
                "upload-metadata",
                "upload-defer-length",
                "upload-concat",
                "upload-checksum",
                "content-type",
                "x-http-method-override");

        @Test
        @DisplayName("preflights for PATCH on an upload and POST on the creation URL allow the tus request headers "
                + "(a server without CORS grants nothing)")
        void preflight() throws Exception {
            Upload upload = newUpload(10);
            for (Map.Entry<URI, String> target :
                    Map.of(upload.url(), "PATCH", creationUrl(), "POST").entrySet()) {
                Reply reply = expectOneOf(
                        options(
                                target.getKey(),
                                "Origin",
                                ORIGIN,
                                "Access-Control-Request-Method",
                                target.getValue(),
                                "Access-Control-Request-Headers",
                                String.join(",", TUS_HEADERS)),
                        200,
                        204);
                if (!corsEnabled()) {
                    assertThat(header(reply, "Access-Control-Allow-Origin"))
                            .as("a server without CORS grants no origin")
                            .isEmpty();
                    continue;
                }
                assertThat(required(reply, "Access-Control-Allow-Origin")).isIn("*", ORIGIN);
                assertThat(list(reply, "Access-Control-Allow-Methods")).contains(target.getValue());
                List<String> allowed = lowerCaseList(reply, "Access-Control-Allow-Headers");
                if (!allowed.contains("*")) {
                    assertThat(allowed)
                            .as("Access-Control-Allow-Headers of the answer to %s", reply.request())
                            .containsAll(TUS_HEADERS);
                }
            }
            assertOffset(upload.url(), 0);
        }

        @Test
        @DisplayName("answers to requests with Origin allow it and expose the tus response headers (a server "
                + "without CORS answers them without CORS headers)")
        void exposed() throws Exception {
            Reply created = create(null, "Upload-Length", "10", "Origin", ORIGIN);
            URI url = location(created);
            Reply head = expect(head(url, "Origin", ORIGIN), 200);
            Reply patch = expect(patch(url, 0, TestFiles.randomBytes(4), "Origin", ORIGIN), 204);
            for (Reply reply : List.of(created, head, patch)) {
                if (!corsEnabled()) {
                    assertThat(header(reply, "Access-Control-Allow-Origin")).isEmpty();
                    continue;
                }
                assertThat(required(reply, "Access-Control-Allow-Origin")).isIn("*", ORIGIN);
                assertThat(lowerCaseList(reply, "Access-Control-Expose-Headers"))
                        .as("Access-Control-Expose-Headers of the answer to %s", reply.request())
                        .contains("upload-offset", "location", "upload-length", "tus-resumable", "upload-expires");
            }
        }
    }

    @Nested
    @DisplayName("broken-off requests")
    class BrokenOff {

        @Test
        @DisplayName("after a PATCH that breaks off, the offset is at most what was sent and the upload resumes "
                + "from it")
        void resumes() throws Exception {
            int sent = 300 * 1024;
            Upload upload = newUpload(1024 * 1024);
            RawHttp.sendAndHangUp(
                    upload.url(),
                    "PATCH",
                    Map.of("Tus-Resumable", VERSION, "Content-Type", OFFSET_OCTET_STREAM, "Upload-Offset", "0"),
                    upload.data().length,
                    upload.slice(0, sent));
            resumeUntilComplete(upload, sent, System.nanoTime(), 409, 423);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("while a PATCH stalls on a connection that stays open, HEAD and the resuming PATCH answer at "
                + "once (well within the 5 s the kit allows) and the upload completes")
        void stalled() throws Exception {
            int sent = 300 * 1024;
            Upload upload = newUpload(1024 * 1024);
            URI url = upload.url();
            try (Socket stalled = new Socket(url.getHost(), url.getPort())) {
                OutputStream out = stalled.getOutputStream();
                out.write(("PATCH " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                                + "\r\nTus-Resumable: " + VERSION + "\r\nUpload-Offset: 0\r\nContent-Type: "
                                + OFFSET_OCTET_STREAM + "\r\nContent-Length: " + upload.data().length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(upload.slice(0, sent));
                out.flush();
                long started = System.nanoTime();
                // 409 only if the stalled PATCH reached the server after the HEAD and was ended by this PATCH
                resumeUntilComplete(upload, sent, started, 409);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SETTLE_TIMEOUT);
            }
            assertComplete(upload.url(), upload.data());
        }

        /**
         * Resumes {@code upload} the way a tus client does until it is complete: HEAD, then PATCH the rest from the
         * offset. A {@code 204} short of the end is progress, not an error: the server ends a running PATCH when
         * another request for the upload arrives, so the broken request reaching the server late may end this
         * one, which then answers with the offset it reached. Other answers must be among {@code retryable}; the
         * whole loop must finish within the settle timeout.
         */
        private void resumeUntilComplete(Upload upload, int sent, long started, Integer... retryable) throws Exception {
            long offsetBefore = 0;
            while (true) {
                long offset = offsetOf(upload.url());
                assertThat(offset)
                        .as("offset after %d bytes were sent", sent)
                        .isBetween(0L, Math.max((long) sent, offsetBefore));
                Reply reply = patch(upload.url(), offset, upload.slice(offset, upload.data().length));
                if (reply.status() == 204) {
                    long reached = number(reply, "Upload-Offset");
                    assertThat(reached)
                            .as("offset answered by the resuming PATCH")
                            .isBetween(0L, (long) upload.data().length);
                    if (reached == upload.data().length) {
                        return;
                    }
                    offsetBefore = Math.max(offsetBefore, reached);
                } else {
                    assertThat(reply.status())
                            .as(
                                    "resuming at %d while the broken request may still be settling: %s",
                                    offset, reply.headers().map())
                            .isIn((Object[]) retryable);
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("resumed within %s", SETTLE_TIMEOUT)
                        .isLessThan(SETTLE_TIMEOUT);
            }
        }
    }
}
