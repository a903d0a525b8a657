/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torrin.testkit.http.RawHttp;
import io.torrin.testkit.tus.RawExchange.Reply;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The groups of {@link TusProtocolConformanceKit} about hostile and unusual requests: case of method tokens,
 * repeated headers, concatenations that would multiply bytes, the {@code Host} header and refusals known from the
 * headers; subclass the kit, not this class.
 */
public abstract class TusStrictConformance extends TusCoreConformance {

    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    private String requestLine(String method, URI url) {
        return method + " " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + effectivePort(url)
                + "\r\nTus-Resumable: " + VERSION + "\r\n";
    }

    private RawHttp.Response raw(String head, byte[] body) throws Exception {
        return RawHttp.exchange(creationUrl(), head, body, AT_ONCE.multipliedBy(6));
    }

    @Nested
    @DisplayName("strict requests")
    class Strict {

        @Test
        @DisplayName("method tokens are case-sensitive: patch, and an override to patch, are 405 with Allow and"
                + " store nothing")
        void methodCase() throws Exception {
            Upload upload = newUpload(100);
            byte[] bytes = upload.slice(0, 10);
            for (String head : new String[] {
                requestLine("patch", upload.url()),
                requestLine("POST", upload.url()) + "X-HTTP-Method-Override: patch\r\n"
            }) {
                RawHttp.Response answer = raw(
                        head + "Upload-Offset: 0\r\nContent-Type: " + OFFSET_OCTET_STREAM + "\r\nContent-Length: "
                                + bytes.length + "\r\nConnection: close\r\n",
                        bytes);
                assertThat(answer.status()).as(answer.body()).isEqualTo(405);
                assertThat(answer.header("Allow"))
                        .hasValueSatisfying(allow -> assertThat(allow).contains("PATCH"));
            }
            assertOffset(upload.url(), 0);
        }

        @Test
        @DisplayName("Upload-Length or Upload-Offset sent twice is 400 and changes nothing")
        void repeatedHeaders() throws Exception {
            RawHttp.Response create = raw(
                    requestLine("POST", creationUrl()) + "Upload-Length: 10\r\nUpload-Length: 20\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n",
                    new byte[0]);
            assertThat(create.status()).as(create.body()).isEqualTo(400);
            assertThat(create.header("Location")).isEmpty();
            Upload upload = newUpload(100);
            byte[] bytes = upload.slice(0, 10);
            RawHttp.Response patch = raw(
                    requestLine("PATCH", upload.url()) + "Upload-Offset: 0\r\nUpload-Offset: 10\r\nContent-Type: "
                            + OFFSET_OCTET_STREAM + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n",
                    bytes);
            assertThat(patch.status()).as(patch.body()).isEqualTo(400);
            assertOffset(upload.url(), 0);
        }

        @Test
        @DisplayName("a final upload naming one part twice is 400; parts adding up past Tus-Max-Size are 413")
        void concatenationCannotMultiplyBytes() throws Exception {
            Upload part = newPartial(100);
            Reply twice = create(null, "Upload-Concat", "final;" + reference(part, true) + " " + reference(part, true));
            expect(twice, 400);
            assertNothingCreated(twice);
            assumeTrue(maxSize() < Long.MAX_VALUE / 2, "the server announces no Tus-Max-Size");
            String half = Long.toString(maxSize() / 2 + 1);
            URI first = location(expect(create(null, "Upload-Length", half, "Upload-Concat", "partial"), 201));
            URI second = location(expect(create(null, "Upload-Length", half, "Upload-Concat", "partial"), 201));
            Reply tooLarge = create(null, "Upload-Concat", "final;" + first.getRawPath() + " " + second.getRawPath());
            expect(tooLarge, 413);
            assertNothingCreated(tooLarge);
        }

        @Test
        @DisplayName("an empty Host header is 400, with no Location")
        void emptyHost() throws Exception {
            RawHttp.Response answer = raw(
                    "POST " + creationUrl().getRawPath() + " HTTP/1.1\r\nHost: \r\nTus-Resumable: " + VERSION
                            + "\r\nUpload-Length: 10\r\nContent-Length: 0\r\nConnection: close\r\n",
                    new byte[0]);
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.header("Location")).isEmpty();
        }

        @Test
        @DisplayName("a PATCH refused from its headers is answered at once, with Connection: close, though its"
                + " declared body never comes, and without an interim 100 Continue")
        void earlyRefusal() throws Exception {
            Upload upload = newUpload(100);
            RawHttp.Response wrongOffset = raw(
                    requestLine("PATCH", upload.url()) + "Upload-Offset: 5\r\nContent-Type: " + OFFSET_OCTET_STREAM
                            + "\r\nContent-Length: 999999999\r\nExpect: 100-continue\r\n",
                    new byte[0]);
            assertThat(wrongOffset.status()).as(wrongOffset.body()).isEqualTo(409);
            assertThat(wrongOffset.header("Connection")).hasValue("close");
            assertThat(wrongOffset.interim()).isEmpty();
            assertThat(wrongOffset.elapsed()).isLessThan(AT_ONCE);
            assertOffset(upload.url(), 0);
        }
    }
}
