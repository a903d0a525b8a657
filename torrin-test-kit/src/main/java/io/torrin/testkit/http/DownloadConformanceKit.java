/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torrin.testkit.TestFiles;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Black-box conformance of the download routes of a server ({@code docs/downloads.md}), over real HTTP with the
 * JDK {@link java.net.http.HttpClient}: random files are uploaded through the Torrin protocol (and tus, where the
 * subclass names a tus endpoint) and read back whole, in ranges and under conditional requests as RFC 9110 defines
 * them; every read is compared by SHA-256 with the bytes that were uploaded. A subclass names the mount point of a
 * server that has downloads switched on:
 *
 * <pre>{@code
 * class MyServerDownloadTest extends DownloadConformanceKit {
 *     protected URI mountUrl() { return URI.create("http://127.0.0.1:" + port + "/torrin/uploads"); }
 *     protected Optional<URI> tusUrl() { return Optional.of(URI.create("http://127.0.0.1:" + port + "/tus")); }
 * }
 * }</pre>
 *
 * The server must stream downloads itself (no {@code DownloadOptions.directUrlValidity}): a redirect to storage is
 * tested where storage can make one.
 */
public abstract class DownloadConformanceKit extends DownloadConformanceSupport {

    private static final Pattern IMF_FIXDATE = Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d "
            + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Pattern FILENAME_STAR = Pattern.compile("filename\\*=UTF-8''([^;]*)");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    private static Instant date(String value) {
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    @Nested
    @DisplayName("the whole file (RFC 9110 §9.3.1 GET, §9.3.2 HEAD)")
    class WholeFile {

        @Test
        @DisplayName("GET answers 200 with the exact bytes and the headers of a safe download")
        void whole() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> whole = get(upload);
            assertWhole(whole, upload);
            assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes"); // §14.3
            assertThat(header(whole, "Content-Type")).isEqualTo("application/octet-stream");
            assertThat(header(whole, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(header(whole, "Cache-Control")).isNotBlank();
            assertThat(header(whole, "Content-Disposition")).startsWith("attachment; filename=\"shared.bin\"");
        }

        @Test
        @DisplayName("HEAD answers the headers GET would send, Content-Length included, without a body (§9.3.2)")
        void head() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> get = get(upload);
            HttpResponse<byte[]> head = fetch("HEAD", upload.url());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(upload.length());
            for (String name : List.of(
                    "ETag",
                    "Last-Modified",
                    "Content-Type",
                    "Content-Disposition",
                    "Accept-Ranges",
                    "X-Content-Type-Options",
                    "Cache-Control")) {
                assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
            }
        }

        @Test
        @DisplayName("HEAD of a range answers 206 with its Content-Range and length, without a body")
        void headOfRange() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> head = fetch("HEAD", upload.url(), "Range", "bytes=10-19");
            assertThat(head.statusCode()).isEqualTo(206);
            assertThat(head.body()).isEmpty();
            assertThat(header(head, "Content-Range")).isEqualTo("bytes 10-19/" + upload.length());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(10);
        }

        @Test
        @DisplayName("the ETag is strong, quoted and the same on every answer (§8.8.3); the verified SHA-256 when"
                + " the upload completed with one")
        void etag() throws Exception {
            Uploaded upload = shared();
            String etag = header(get(upload), "ETag");
            assertThat(etag).matches("\"[\\x21\\x23-\\x7e]+\"").doesNotStartWith("W/");
            if (wholeFileHashSupported()) {
                assertThat(etag).isEqualTo('"' + TestFiles.sha256(upload.data()) + '"');
            }
            assertThat(header(get(upload), "ETag")).isEqualTo(etag);
            assertThat(header(fetch("HEAD", upload.url()), "ETag")).isEqualTo(etag);
            assertThat(header(get(upload, "Range", "bytes=0-0"), "ETag")).isEqualTo(etag);
            assertThat(header(get(upload, "If-None-Match", etag), "ETag")).isEqualTo(etag);
        }

        @Test
        @DisplayName("Last-Modified is an IMF-fixdate no later than now and the same on every answer (§8.8.2)")
        void lastModified() throws Exception {
            Uploaded upload = shared();
            String modified = header(get(upload), "Last-Modified");
            assertThat(modified).matches(IMF_FIXDATE);
            assertThat(date(modified)).isBefore(Instant.now().plus(Duration.ofMinutes(1)));
            assertThat(header(fetch("HEAD", upload.url()), "Last-Modified")).isEqualTo(modified);
            assertThat(header(get(upload, "Range", "bytes=-1"), "Last-Modified"))
                    .isEqualTo(modified);
        }
    }

    @Nested
    @DisplayName("byte ranges (RFC 9110 §14)")
    class Ranges {

        @Test
        @DisplayName("the first byte, the last byte and a range across chunk boundaries are 206 with exact bytes"
                + " (§14.1.2, §15.3.7)")
        void edges() throws Exception {
            Uploaded upload = shared();
            int last = upload.length() - 1;
            assertPart(get(upload, "Range", "bytes=0-0"), upload, 0, 1);
            assertPart(get(upload, "Range", "bytes=" + last + "-" + last), upload, last, last + 1);
            long third = upload.length() / 3;
            assertPart(get(upload, "Range", "bytes=" + third + "-" + (2 * third)), upload, third, 2 * third + 1);
        }

        @Test
        @DisplayName("a suffix range bytes=-N is the last N bytes; one longer than the file is all of it (§14.1.2)")
        void suffix() throws Exception {
            Uploaded upload = shared();
            int length = upload.length();
            assertPart(get(upload, "Range", "bytes=-1"), upload, length - 1, length);
            assertPart(get(upload, "Range", "bytes=-" + (length / 2)), upload, length - length / 2, length);
            assertPart(get(upload, "Range", "bytes=-" + (length + 10)), upload, 0, length);
        }

        @Test
        @DisplayName(
                "an open range bytes=N- is the rest; a last position beyond the end is cut to the end" + " (§14.1.2)")
        void openEnded() throws Exception {
            Uploaded upload = shared();
            int length = upload.length();
            assertPart(get(upload, "Range", "bytes=" + (length / 2) + "-"), upload, length / 2, length);
            assertPart(get(upload, "Range", "bytes=0-"), upload, 0, length);
            assertPart(get(upload, "Range", "bytes=7-" + (length + 1000)), upload, 7, length);
        }

        @Test
        @DisplayName("a range from the end or beyond, and bytes=-0, are 416 with Content-Range: bytes */length"
                + " (§15.5.17, §14.4)")
        void unsatisfiable() throws Exception {
            Uploaded upload = shared();
            for (String range : List.of(
                    "bytes=" + upload.length() + "-",
                    "bytes=" + (upload.length() + 5) + "-" + (upload.length() + 9),
                    "bytes=-0")) {
                HttpResponse<byte[]> answer = get(upload, "Range", range);
                assertError(answer, 416, "RANGE_NOT_SATISFIABLE");
                assertThat(header(answer, "Content-Range")).as(range).isEqualTo("bytes */" + upload.length());
            }
        }

        @Test
        @DisplayName("several ranges, invalid ranges and other units are ignored: 200 with the whole file, as"
                + " docs/downloads.md says (§14.2 lets a server ignore Range)")
        void ignored() throws Exception {
            Uploaded upload = shared();
            for (String range : List.of(
                    "bytes=0-1,5-9", "bytes=0-0, -1", "bytes=5-2", "bytes=a-b", "bytes=-", "items=0-1", "bytes")) {
                HttpResponse<byte[]> answer = get(upload, "Range", range);
                assertThat(answer.statusCode()).as(range).isEqualTo(200);
                assertWhole(answer, upload);
            }
        }

        @Test
        @DisplayName("a download broken off and resumed with a range joins to the exact file")
        void resume() throws Exception {
            Uploaded upload = shared();
            int cut = upload.length() / 2 + 13;
            HttpResponse<byte[]> first = get(upload, "Range", "bytes=0-" + (cut - 1));
            HttpResponse<byte[]> rest = get(upload, "Range", "bytes=" + cut + "-", "If-Range", header(first, "ETag"));
            assertPart(first, upload, 0, cut);
            assertPart(rest, upload, cut, upload.length());
            byte[] joined = new byte[upload.length()];
            System.arraycopy(first.body(), 0, joined, 0, cut);
            System.arraycopy(rest.body(), 0, joined, cut, rest.body().length);
            assertThat(TestFiles.sha256(joined)).isEqualTo(TestFiles.sha256(upload.data()));
        }
    }

    @Nested
    @DisplayName("If-Range (RFC 9110 §13.1.5)")
    class IfRange {

        @Test
        @DisplayName("the current ETag or exactly the Last-Modified date serves the range (206)")
        void matching() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> whole = get(upload);
            assertPart(
                    get(upload, "Range", "bytes=100-", "If-Range", header(whole, "ETag")),
                    upload,
                    100,
                    upload.length());
            assertPart(
                    get(upload, "Range", "bytes=-50", "If-Range", header(whole, "Last-Modified")),
                    upload,
                    upload.length() - 50,
                    upload.length());
        }

        @Test
        @DisplayName("another ETag, a weak ETag (strong comparison) or another date serves the whole file (200)")
        void notMatching() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> whole = get(upload);
            String etag = header(whole, "ETag");
            String earlier =
                    HTTP_DATE.format(date(header(whole, "Last-Modified")).minusSeconds(60));
            for (String validator : List.of("\"not-the-etag\"", "W/" + etag, earlier)) {
                assertWhole(get(upload, "Range", "bytes=100-", "If-Range", validator), upload);
            }
        }
    }

    @Nested
    @DisplayName("conditional requests (RFC 9110 §13.1, evaluated in the order of §13.2.2)")
    class Conditional {

        @Test
        @DisplayName("If-None-Match with the ETag, its weak form, * or a list holding it is 304 with the validators"
                + " and no body (§13.1.2, §15.4.5)")
        void notModified() throws Exception {
            Uploaded upload = shared();
            HttpResponse<byte[]> whole = get(upload);
            String etag = header(whole, "ETag");
            for (String condition : List.of(etag, "W/" + etag, "*", "\"other\", " + etag)) {
                HttpResponse<byte[]> answer = get(upload, "If-None-Match", condition);
                assertThat(answer.statusCode()).as(condition).isEqualTo(304);
                assertThat(answer.body()).isEmpty();
                assertThat(header(answer, "ETag")).isEqualTo(etag);
                assertThat(header(answer, "Last-Modified")).isEqualTo(header(whole, "Last-Modified"));
            }
            assertThat(fetch("HEAD", upload.url(), "If-None-Match", etag).statusCode())
                    .isEqualTo(304);
            assertWhole(get(upload, "If-None-Match", "\"other\""), upload);
        }

        @Test
        @DisplayName(
                "If-Modified-Since at Last-Modified is 304; an earlier or invalid date gets the file" + " (§13.1.3)")
        void modifiedSince() throws Exception {
            Uploaded upload = shared();
            String modified = header(get(upload), "Last-Modified");
            assertThat(get(upload, "If-Modified-Since", modified).statusCode()).isEqualTo(304);
            String earlier = HTTP_DATE.format(date(modified).minusSeconds(3600));
            assertWhole(get(upload, "If-Modified-Since", earlier), upload);
            assertWhole(get(upload, "If-Modified-Since", "yesterday"), upload);
        }

        @Test
        @DisplayName("If-Match with another ETag is 412 PRECONDITION_FAILED; with the ETag or * the file is sent"
                + " (§13.1.1, §15.5.13)")
        void ifMatch() throws Exception {
            Uploaded upload = shared();
            String etag = header(get(upload), "ETag");
            HttpResponse<byte[]> failed = get(upload, "If-Match", "\"other\"");
            assertError(failed, 412, "PRECONDITION_FAILED");
            assertThat(header(failed, "ETag")).isEqualTo(etag);
            assertError(get(upload, "If-Match", "W/" + etag), 412, "PRECONDITION_FAILED"); // strong comparison
            assertWhole(get(upload, "If-Match", etag), upload);
            assertWhole(get(upload, "If-Match", "*"), upload);
        }

        @Test
        @DisplayName("If-Unmodified-Since before Last-Modified is 412; at it the file is sent (§13.1.4)")
        void unmodifiedSince() throws Exception {
            Uploaded upload = shared();
            String modified = header(get(upload), "Last-Modified");
            String earlier = HTTP_DATE.format(date(modified).minusSeconds(3600));
            assertError(get(upload, "If-Unmodified-Since", earlier), 412, "PRECONDITION_FAILED");
            assertWhole(get(upload, "If-Unmodified-Since", modified), upload);
        }

        @Test
        @DisplayName("a failing If-Match wins over a matching If-None-Match, and 304 wins over Range (§13.2.2)")
        void order() throws Exception {
            Uploaded upload = shared();
            String etag = header(get(upload), "ETag");
            assertError(get(upload, "If-Match", "\"other\"", "If-None-Match", etag), 412, "PRECONDITION_FAILED");
            HttpResponse<byte[]> answer = get(upload, "If-None-Match", etag, "Range", "bytes=0-9");
            assertThat(answer.statusCode()).isEqualTo(304);
            assertThat(answer.body()).isEmpty();
        }
    }

    @Nested
    @DisplayName("file names and types (RFC 6266 Content-Disposition, RFC 8187 encoding)")
    class NamesAndTypes {

        @Test
        @DisplayName("a name with quotes, percent signs, semicolons and non-ASCII letters becomes printable ASCII:"
                + " a quoted fallback without quotes and a filename* that decodes to the name")
        void hostileName() throws Exception {
            String name = "r\u00e9sum\u00e9 \"final\"; filename=evil.html 100% \u65e5\u672c.txt";
            Uploaded upload = upload(name, "text/plain", TestFiles.randomBytes(3000));
            HttpResponse<byte[]> answer = get(upload);
            assertWhole(answer, upload);
            String disposition = header(answer, "Content-Disposition");
            assertThat(disposition).matches("[\\x20-\\x7e]*").startsWith("attachment;");
            Matcher star = FILENAME_STAR.matcher(disposition);
            assertThat(star.find()).as(disposition).isTrue();
            assertThat(star.group(1)).matches("[A-Za-z0-9!#$&+.^_`|~%-]*"); // RFC 8187 attr-char / pct-encoded
            assertThat(URLDecoder.decode(star.group(1).replace("+", "%2B"), StandardCharsets.UTF_8))
                    .isEqualTo(name);
            Matcher fallback = FILENAME.matcher(disposition);
            assertThat(fallback.find()).as(disposition).isTrue();
            assertThat(fallback.group(1)).doesNotContain("\"", "\\", "%").endsWith(".txt");
        }

        @Test
        @DisplayName("a name with CR or LF is refused at creation, so it can never reach a header")
        void lineBreaks() throws Exception {
            for (String name : List.of("a\r\nSet-Cookie: x=y.txt", "line\nbreak.txt", "cr\r.txt")) {
                String body = JSON.createObjectNode()
                        .put("fileName", name)
                        .put("fileSize", 10)
                        .toString();
                assertError(createRaw(body), 400, "INVALID_REQUEST");
            }
        }

        @Test
        @DisplayName("the stored media type is served as Content-Type, always with nosniff")
        void contentType() throws Exception {
            Uploaded upload = upload("notes.txt", "text/plain; charset=utf-8", TestFiles.randomBytes(500));
            HttpResponse<byte[]> answer = get(upload);
            assertWhole(answer, upload);
            // parameters may be separated with or without spaces (RFC 9110 §8.3.1: OWS); containers differ
            assertThat(header(answer, "Content-Type").replaceAll("[ \t]*;[ \t]*", ";"))
                    .isEqualToIgnoringCase("text/plain;charset=utf-8");
            assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(header(answer, "Content-Disposition")).startsWith("attachment;");
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {

        @Test
        @DisplayName("an upload that has not completed is 409 UPLOAD_NOT_COMPLETED (§15.5.10)")
        void unfinished() throws Exception {
            long chunk = chunkSize();
            Uploaded upload =
                    started("half.bin", "application/octet-stream", TestFiles.randomBytes((int) chunk + 9), 1);
            assertError(get(upload), 409, "UPLOAD_NOT_COMPLETED");
            assertThat(fetch("HEAD", upload.url()).statusCode()).isEqualTo(409);
        }

        @Test
        @DisplayName("an unknown upload is 404 UPLOAD_NOT_FOUND (§15.5.5)")
        void unknown() throws Exception {
            URI unknown = URI.create(mountUrl() + "/abcdefghijklmnopqrstuvwxyz234567/content");
            assertError(fetch("GET", unknown), 404, "UPLOAD_NOT_FOUND");
            assertThat(fetch("HEAD", unknown).statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("an aborted upload is 409 UPLOAD_CANCELED")
        void aborted() throws Exception {
            Uploaded upload = started("gone.bin", "application/octet-stream", TestFiles.randomBytes(100), 1);
            assertThat(fetch("DELETE", URI.create(mountUrl() + "/" + upload.id()))
                            .statusCode())
                    .isEqualTo(204);
            assertError(get(upload), 409, "UPLOAD_CANCELED");
        }
    }

    @Nested
    @DisplayName("tus: GET of the upload URL")
    class Tus {

        @Test
        @DisplayName("a completed tus upload downloads whole and in ranges without Tus-Resumable, with a strong"
                + " ETag and nosniff")
        void download() throws Exception {
            assumeTrue(tusUrl().isPresent(), "the subclass names no tus endpoint (tusUrl)");
            Uploaded upload = tusUpload("tus \u00fcpload.bin", TestFiles.randomBytes((int) chunkSize() + 4321), true);
            HttpResponse<byte[]> whole = get(upload);
            assertWhole(whole, upload);
            assertThat(header(whole, "ETag")).startsWith("\"");
            assertThat(header(whole, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(header(whole, "Content-Disposition")).contains("filename*=UTF-8''tus%20%C3%BCpload.bin");
            assertPart(get(upload, "Range", "bytes=0-0"), upload, 0, 1);
            assertPart(get(upload, "Range", "bytes=-1000"), upload, upload.length() - 1000, upload.length());
            assertPart(
                    get(upload, "Range", "bytes=1000-", "If-Range", header(whole, "ETag")),
                    upload,
                    1000,
                    upload.length());
            assertThat(get(upload, "If-None-Match", header(whole, "ETag")).statusCode())
                    .isEqualTo(304);
            HttpResponse<byte[]> beyond = get(upload, "Range", "bytes=" + upload.length() + "-");
            assertThat(beyond.statusCode()).isEqualTo(416);
            assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */" + upload.length());
        }

        @Test
        @DisplayName("an unfinished tus upload is 409, an unknown one 404, a terminated one 410")
        void errors() throws Exception {
            assumeTrue(tusUrl().isPresent(), "the subclass names no tus endpoint (tusUrl)");
            Uploaded half = tusUpload("half.bin", TestFiles.randomBytes(5000), false);
            assertThat(get(half).statusCode()).isEqualTo(409);
            assertThat(fetch("GET", URI.create(tusUrl().get() + "/abcdefghijklmnopqrstuvwxyz234567"))
                            .statusCode())
                    .isEqualTo(404);
            assertThat(fetch("DELETE", half.url(), "Tus-Resumable", TUS_VERSION).statusCode())
                    .isEqualTo(204);
            assertThat(get(half).statusCode()).isEqualTo(410);
        }
    }
}
