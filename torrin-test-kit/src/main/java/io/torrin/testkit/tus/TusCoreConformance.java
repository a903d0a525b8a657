/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.tus.RawExchange.Reply;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The core protocol groups of {@link TusProtocolConformanceKit} (discovery, creation, creation with upload, HEAD and PATCH, method override); subclass the kit, not this class.
 */
public abstract class TusCoreConformance extends TusConformanceSupport {

    // ---------------------------------------------------------------------------------------------- the tests

    @Nested
    @DisplayName("OPTIONS and versions")
    class Discovery {

        @Test
        @DisplayName("OPTIONS answers 204 with the version, extensions, maximum size and checksum algorithms")
        void advertises() throws Exception {
            Reply reply = expect(options(creationUrl()), 204);
            assertThat(list(reply, "Tus-Version")).containsExactly(VERSION);
            assertThat(list(reply, "Tus-Extension")).containsExactlyInAnyOrderElementsOf(EXTENSIONS);
            assertThat(number(reply, "Tus-Max-Size")).isEqualTo(maxSize());
            assertThat(list(reply, "Tus-Checksum-Algorithm")).contains("md5", "sha1", "sha256");
        }

        @Test
        @DisplayName("OPTIONS ignores a Tus-Resumable header, even of another version")
        void optionsIgnoresTusResumable() throws Exception {
            for (String version : List.of("0.2.2", VERSION)) {
                Reply reply = expect(options(creationUrl(), "Tus-Resumable", version), 204);
                assertThat(list(reply, "Tus-Version")).containsExactly(VERSION);
            }
        }

        @Test
        @DisplayName("a request without Tus-Resumable or with another version is 412 with Tus-Version and changes "
                + "nothing")
        void otherVersions() throws Exception {
            Upload upload = newUpload(100);
            for (String version : Arrays.asList(null, "0.2.2", "1.0", "2.0.0")) {
                Reply post = create(null, "Tus-Resumable", version, "Upload-Length", "10");
                assertVersionRefused(post);
                assertNothingCreated(post);
                assertVersionRefused(head(upload.url(), "Tus-Resumable", version));
                assertVersionRefused(patch(upload.url(), 0, upload.slice(0, 10), "Tus-Resumable", version));
                assertVersionRefused(send("DELETE", upload.url(), null, "Tus-Resumable", version));
            }
            assertOffset(upload.url(), 0);
            finish(upload);
        }

        private void assertVersionRefused(Reply reply) {
            expect(reply, 412);
            assertThat(list(reply, "Tus-Version"))
                    .as("Tus-Version of the answer to %s", reply.request())
                    .containsExactly(VERSION);
        }
    }

    @Nested
    @DisplayName("creation")
    class Creation {

        @Test
        @DisplayName("POST with Upload-Length answers 201 with an absolute Location, Upload-Offset 0 and "
                + "Upload-Expires; HEAD reports the new upload")
        void created() throws Exception {
            Reply reply = expect(create(null, "Upload-Length", "1234"), 201);
            URI url = URI.create(required(reply, "Location"));
            assertThat(url.isAbsolute()).as("Location %s is absolute", url).isTrue();
            assertThat(url.getScheme()).isEqualToIgnoringCase(creationUrl().getScheme());
            assertThat(url.getHost()).isEqualToIgnoringCase(creationUrl().getHost());
            assertThat(effectivePort(url)).as("port of Location %s", url).isEqualTo(effectivePort(creationUrl()));
            assertThat(url.getRawPath())
                    .as("Location %s is below %s", url, creationUrl())
                    .startsWith(creationUrl().getRawPath() + "/");
            assertThat(url.getRawPath().substring(creationUrl().getRawPath().length() + 1))
                    .isNotEmpty()
                    .doesNotContain("/");
            assertThat(number(reply, "Upload-Offset")).isZero();
            assertExpiresInFuture(reply);

            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isZero();
            assertThat(number(head, "Upload-Length")).isEqualTo(1234);
            assertThat(head.headers().allValues("Cache-Control"))
                    .anySatisfy(v -> assertThat(v).contains("no-store"));
            assertThat(header(head, "Upload-Defer-Length")).isEmpty();
            assertThat(header(head, "Upload-Metadata")).isEmpty();
            finish(new Upload(url, TestFiles.randomBytes(1234)));
        }

        @Test
        @DisplayName("an upload of length 0 is complete at once and takes no bytes (413)")
        void empty() throws Exception {
            Reply reply = expect(create(null, "Upload-Length", "0"), 201);
            assertThat(number(reply, "Upload-Offset")).isZero();
            URI url = location(reply);
            assertComplete(url, new byte[0]);
            expect(patch(url, 0, new byte[] {1}), 413);
            assertComplete(url, new byte[0]);
        }

        @Test
        @DisplayName(
                "a missing, doubled or malformed Upload-Length or Upload-Defer-Length is 400 and creates " + "nothing")
        void invalidLengths() throws Exception {
            List<String[]> cases = new ArrayList<>();
            cases.add(new String[0]);
            cases.add(new String[] {"Upload-Length", "10", "Upload-Defer-Length", "1"});
            for (String length : List.of("-1", "+5", "1.5", "abc", "  ", "1e3", "0x10", "5 5")) {
                cases.add(new String[] {"Upload-Length", length});
            }
            for (String defer : List.of("0", "2", "true", "01")) {
                cases.add(new String[] {"Upload-Defer-Length", defer});
            }
            for (String[] headers : cases) {
                Reply reply = create(null, headers);
                assertThat(reply.status())
                        .as("POST with %s", Arrays.toString(headers))
                        .isEqualTo(400);
                assertNothingCreated(reply);
            }
        }

        @Test
        @DisplayName("Upload-Length above Tus-Max-Size is 413; exactly Tus-Max-Size is accepted")
        void sizeLimit() throws Exception {
            Reply tooBig = create(null, "Upload-Length", Long.toString(maxSize() + 1));
            expect(tooBig, 413);
            assertNothingCreated(tooBig);
            URI url = location(create(null, "Upload-Length", Long.toString(maxSize())));
            assertOffset(url, 0);
            expect(delete(url), 204);
        }

        @Test
        @DisplayName("Upload-Metadata comes back from HEAD with the same keys and values, empty ones included")
        void metadata() throws Exception {
            String sent = "filename " + b64("wörld dominatiön plan.pdf") + ",is_confidential,empty ,type "
                    + b64("application/pdf") + ",k " + b64("ab");
            Upload upload = newUpload(10, "Upload-Metadata", sent);
            Reply head = expect(head(upload.url()), 200);
            assertThat(decodedMetadata(required(head, "Upload-Metadata"))).isEqualTo(decodedMetadata(sent));
            finish(upload);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(sent));
        }

        @Test
        @DisplayName("Upload-Metadata values that are not UTF-8 text come back byte for byte")
        void binaryMetadata() throws Exception {
            byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, (byte) 0x80, 10, 13, 44, 32, (byte) 0xc3};
            String sent = "blob " + Base64.getEncoder().encodeToString(binary);
            Upload upload = newUpload(10, "Upload-Metadata", sent);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(sent));
        }

        @Test
        @DisplayName("malformed Upload-Metadata is 400 and creates nothing")
        void invalidMetadata() throws Exception {
            for (String metadata : List.of(
                    "a Zm9v=",
                    "a Zm9",
                    "a Zm9v!!",
                    "a Zm9v,a YmFy",
                    "my key Zm9v",
                    "a Zm9v,,b YmFy",
                    "a Zm9v, YmFy",
                    "a Zm9v YmFy",
                    "a ====")) {
                Reply reply = create(null, "Upload-Length", "10", "Upload-Metadata", metadata);
                assertThat(reply.status())
                        .as("POST with Upload-Metadata: %s", metadata)
                        .isEqualTo(400);
                assertNothingCreated(reply);
            }
        }

        @Test
        @DisplayName("Upload-Metadata up to 4 KiB is accepted, longer is 400")
        void metadataSize() throws Exception {
            String small = "k " + b64("x".repeat(2997));
            assertThat(small.length()).isLessThan(4096);
            Upload upload = newUpload(10, "Upload-Metadata", small);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(small));
            String big = "k " + b64("x".repeat(3072));
            assertThat(big.length()).isGreaterThan(4096);
            Reply reply = create(null, "Upload-Length", "10", "Upload-Metadata", big);
            expect(reply, 400);
            assertNothingCreated(reply);
        }
    }

    @Nested
    @DisplayName("creation with upload")
    class CreationWithUpload {

        @Test
        @DisplayName("POST with the first bytes answers 201 with Upload-Offset = their length; the rest follows by "
                + "PATCH")
        void firstBytes() throws Exception {
            byte[] data = TestFiles.randomBytes(100_000);
            Reply reply = expect(
                    create(Arrays.copyOf(data, 40_000), "Upload-Length", "100000", "Content-Type", OFFSET_OCTET_STREAM),
                    201);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(40_000);
            assertExpiresInFuture(reply);
            Upload upload = new Upload(location(reply), data);
            assertOffset(upload.url(), 40_000);
            finish(upload);
        }

        @Test
        @DisplayName("POST with all the bytes completes the upload at once")
        void allBytes() throws Exception {
            byte[] data = TestFiles.randomBytes(5_000);
            Reply reply = expect(create(data, "Upload-Length", "5000", "Content-Type", OFFSET_OCTET_STREAM), 201);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(5_000);
            assertComplete(location(reply), data);
        }

        @Test
        @DisplayName("POST with a body of another Content-Type is 415 and creates nothing")
        void otherContentType() throws Exception {
            for (String type : List.of("text/plain", "application/octet-stream")) {
                Reply reply = create(TestFiles.randomBytes(100), "Upload-Length", "100", "Content-Type", type);
                assertThat(reply.status()).as("POST with Content-Type %s", type).isEqualTo(415);
                assertNothingCreated(reply);
            }
        }
    }

    @Nested
    @DisplayName("HEAD and PATCH")
    class Core {

        @Test
        @DisplayName("HEAD on an unknown upload is 404 without Upload-Offset")
        void unknownHead() throws Exception {
            Reply reply = expect(head(unknownUrl()), 404);
            assertThat(header(reply, "Upload-Offset")).isEmpty();
        }

        @Test
        @DisplayName("PATCHes of 1 byte, 1000 bytes, 70 KiB and the rest each answer 204 with the new offset and "
                + "give the exact bytes")
        void oddPieces() throws Exception {
            Upload upload = newUpload(1 + 1000 + 70 * 1024 + 50_003);
            long offset = 0;
            for (int piece : new int[] {1, 1000, 70 * 1024, 50_003}) {
                Reply reply = expect(patch(upload.url(), offset, upload.slice(offset, offset + piece)), 204);
                offset += piece;
                assertThat(number(reply, "Upload-Offset")).isEqualTo(offset);
                if (offset < upload.data().length) {
                    assertExpiresInFuture(reply);
                }
                assertOffset(upload.url(), offset);
            }
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("PATCH with another or no Content-Type is 415 and leaves the offset")
        void otherContentType() throws Exception {
            Upload upload = newUpload(100);
            for (String type : Arrays.asList("application/octet-stream", "text/plain", null)) {
                Reply reply = patch(upload.url(), 0, upload.slice(0, 50), "Content-Type", type);
                assertThat(reply.status())
                        .as("PATCH with Content-Type %s", type)
                        .isEqualTo(415);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH with a missing or malformed Upload-Offset is 400 and leaves the offset")
        void malformedOffset() throws Exception {
            Upload upload = newUpload(100);
            for (String offset : Arrays.asList(null, "-1", "+0", "abc", "1.0", "0x0", "0 0")) {
                Reply reply = patch(upload.url(), 0, upload.slice(0, 50), "Upload-Offset", offset);
                assertThat(reply.status())
                        .as("PATCH with Upload-Offset %s", offset)
                        .isEqualTo(400);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH at an offset other than the current one is 409 and leaves the offset")
        void wrongOffset() throws Exception {
            Upload upload = newUpload(100);
            expect(patch(upload.url(), 5, upload.slice(5, 10)), 409);
            assertOffset(upload.url(), 0);
            expect(patch(upload.url(), 0, upload.slice(0, 10)), 204);
            for (long offset : new long[] {0, 3, 9, 11, 100}) {
                Reply reply = patch(upload.url(), offset, upload.slice(offset, Math.min(100, offset + 5)));
                assertThat(reply.status())
                        .as("PATCH at %d when the offset is 10", offset)
                        .isEqualTo(409);
                assertOffset(upload.url(), 10);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH with more bytes than the upload has left is 413 and leaves the offset")
        void pastLength() throws Exception {
            Upload upload = newUpload(10);
            expect(patch(upload.url(), 0, TestFiles.randomBytes(11)), 413);
            assertOffset(upload.url(), 0);
            expect(patch(upload.url(), 0, upload.slice(0, 6)), 204);
            expect(patch(upload.url(), 6, TestFiles.randomBytes(5)), 413);
            assertOffset(upload.url(), 6);
            expect(patch(upload.url(), 6, upload.slice(6, 10)), 204);
            expect(patch(upload.url(), 10, new byte[] {1}), 413);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("an empty PATCH at the end of a complete upload is 204, also with chunked encoding")
        void emptyPatchAtTheEnd() throws Exception {
            Upload upload = newUpload(10);
            expect(patch(upload.url(), 0, upload.data()), 204);
            expect(patch(upload.url(), 10, new byte[0]), 204);
            Reply chunked = sendChunked(
                    "PATCH",
                    upload.url(),
                    List.of(),
                    Map.of(),
                    "Upload-Offset",
                    "10",
                    "Content-Type",
                    OFFSET_OCTET_STREAM);
            assertThat(chunked.status())
                    .as("status of the answer to %s", chunked.request())
                    .isEqualTo(204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("PATCH on an unknown upload is 404")
        void unknownPatch() throws Exception {
            expect(patch(unknownUrl(), 0, new byte[] {1, 2, 3}), 404);
        }

        @Test
        @DisplayName("an unknown method on an upload is 405 with Allow")
        void unknownMethod() throws Exception {
            Upload upload = newUpload(10);
            Reply reply = expect(send("PUT", upload.url(), upload.data(), "Content-Type", OFFSET_OCTET_STREAM), 405);
            assertThat(list(reply, "Allow"))
                    .as("Allow of the answer to %s", reply.request())
                    .contains("PATCH", "HEAD")
                    .doesNotContain("PUT");
            assertOffset(upload.url(), 0);
        }
    }

    @Nested
    @DisplayName("X-HTTP-Method-Override")
    class MethodOverride {

        @Test
        @DisplayName("POST overridden as PATCH appends bytes")
        void asPatch() throws Exception {
            Upload upload = newUpload(1000);
            Reply reply = expect(
                    send(
                            "POST",
                            upload.url(),
                            upload.slice(0, 400),
                            "X-HTTP-Method-Override",
                            "PATCH",
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(400);
            assertOffset(upload.url(), 400);
            reply = expect(
                    send(
                            "POST",
                            upload.url(),
                            upload.slice(400, 1000),
                            "X-HTTP-Method-Override",
                            "PATCH",
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "400"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(1000);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("POST overridden as HEAD reports the offset and length")
        void asHead() throws Exception {
            Upload upload = newUpload(1000);
            expect(patch(upload.url(), 0, upload.slice(0, 123)), 204);
            Reply reply = expect(send("POST", upload.url(), null, "X-HTTP-Method-Override", "HEAD"), 200);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(123);
            assertThat(number(reply, "Upload-Length")).isEqualTo(1000);
            assertThat(reply.headers().allValues("Cache-Control"))
                    .anySatisfy(v -> assertThat(v).contains("no-store"));
        }

        @Test
        @DisplayName("POST overridden as DELETE terminates the upload")
        void asDelete() throws Exception {
            Upload upload = newUpload(1000);
            expect(send("POST", upload.url(), null, "X-HTTP-Method-Override", "DELETE"), 204);
            expectOneOf(head(upload.url()), 404, 410);
        }
    }
}
