/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.ietf;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.tus.RawExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the resumable-upload conformance tests share: the server under test (named by a subclass), the draft
 * revisions and their interop versions, requests over the JDK {@link HttpClient} and raw sockets, and assertions on
 * the draft's header fields.
 */
public abstract class ResumableConformanceSupport {

    /** The media type of appends from interop version 6 on. */
    protected static final String PARTIAL_UPLOAD = "application/partial-upload";
    /** The problem type of a mismatching offset (-05 §10.1, latest §7.1). */
    protected static final String MISMATCHING_OFFSET =
            "https://iana.org/assignments/http-problem-types#mismatching-upload-offset";
    /** The problem type of an append to a completed upload (-05 §10.2). */
    protected static final String COMPLETED_UPLOAD = "https://iana.org/assignments/http-problem-types#completed-upload";
    /** The problem type of disagreeing lengths (latest §7.2). */
    protected static final String INCONSISTENT_LENGTH =
            "https://iana.org/assignments/http-problem-types#inconsistent-upload-length";

    private static final Pattern SF_INTEGER = Pattern.compile("[0-9]{1,15}");
    private static final Pattern JSON_STRING = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A revision of the draft, as a client selects it with {@code Upload-Draft-Interop-Version}. */
    public enum Draft {
        /** Revision -03, interop version 5. */
        DRAFT_03(5),
        /** Revision -05, interop version 6. */
        DRAFT_05(6),
        /** The latest revision, interop version 9. */
        LATEST(9);

        private final int interop;

        Draft(int interop) {
            this.interop = interop;
        }

        /**
         * The interop version.
         *
         * @return the header value that selects this revision
         */
        public int interop() {
            return interop;
        }

        boolean atLeast05() {
            return this != DRAFT_03;
        }
    }

    /** Every revision, for parameterized tests. */
    static Stream<Draft> all() {
        return Arrays.stream(Draft.values());
    }

    /** The revisions with {@code Upload-Length}, {@code Upload-Limit} and the partial-upload media type. */
    static Stream<Draft> from05() {
        return Stream.of(Draft.DRAFT_05, Draft.LATEST);
    }

    /** The revisions that refuse upload fields on offset retrieval and cancellation. */
    static Stream<Draft> interim() {
        return Stream.of(Draft.DRAFT_03, Draft.DRAFT_05);
    }

    /**
     * The URL that creates uploads.
     *
     * @return an absolute URL without a trailing slash
     */
    protected abstract URI creationUrl();

    /**
     * The largest upload the server accepts; the suite's uploads stay at or below 1 MiB.
     *
     * @return the maximum size in bytes
     */
    protected abstract long maxSize();

    /**
     * The bytes the server stored for a completed upload, to compare their SHA-256 with what was sent. The default
     * returns empty, which leaves the comparison out (for servers whose storage the suite cannot read).
     *
     * @param uploadUrl the upload's URL as the server gave it in {@code Location}
     * @return the stored bytes, or empty
     * @throws IOException if the storage cannot be read
     */
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return Optional.empty();
    }

    /**
     * An answer: what was asked (for messages), its status, header fields and body text.
     *
     * @param request {@code METHOD url (interop n)}
     * @param status the status code
     * @param headers the header fields
     * @param body the body, empty if none
     */
    record Reply(String request, int status, HttpHeaders headers, String body) {}

    /** An upload under test: its URL and the random bytes it is to hold. */
    record Upload(URI url, byte[] data) {
        byte[] slice(int from, int to) {
            return Arrays.copyOfRange(data, from, to);
        }
    }

    /**
     * Sends a request with the draft's interop version; header pairs with a {@code null} value are left out.
     */
    Reply send(Draft draft, String method, URI url, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        request.header("Upload-Draft-Interop-Version", Integer.toString(draft.interop()));
        pairs(headers).forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
        return new Reply(
                method + " " + url + " (interop " + draft.interop() + ")",
                response.statusCode(),
                response.headers(),
                response.body());
    }

    /** Sends a request whose body goes in chunks (no {@code Content-Length}). */
    Reply sendChunked(Draft draft, String method, URI url, List<byte[]> chunks, String... headers) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Upload-Draft-Interop-Version", Integer.toString(draft.interop()));
        fields.putAll(pairs(headers));
        RawExchange.Reply reply = RawExchange.sendChunked(url, method, fields, chunks, Map.of());
        return new Reply(reply.request(), reply.status(), reply.headers(), "");
    }

    /** Creates an upload without content, of a known length unless {@code lengthKnown} is false. */
    Upload create(Draft draft, int size, boolean lengthKnown) throws Exception {
        byte[] data = TestFiles.randomBytes(size);
        Reply created = expect(
                send(
                        draft,
                        "POST",
                        creationUrl(),
                        null,
                        "Upload-Complete",
                        "?0",
                        "Upload-Length",
                        lengthKnown ? Integer.toString(size) : null),
                201);
        assertThat(offset(created))
                .as("Upload-Offset of a creation without content")
                .isZero();
        return new Upload(location(created), data);
    }

    /** A PATCH of part of an upload. */
    Reply patch(Draft draft, Upload upload, int from, int to, boolean complete, String... headers) throws Exception {
        String[] fields = concat(
                new String[] {
                    "Upload-Offset",
                    Integer.toString(from),
                    "Upload-Complete",
                    complete ? "?1" : "?0",
                    "Content-Type",
                    draft.atLeast05() ? PARTIAL_UPLOAD : null
                },
                headers);
        return send(draft, "PATCH", upload.url(), upload.slice(from, to), fields);
    }

    Reply head(Draft draft, URI url, String... headers) throws Exception {
        return send(draft, "HEAD", url, null, headers);
    }

    /** Asserts that the upload is complete with the server and holds exactly the upload's bytes. */
    void assertComplete(Draft draft, Upload upload) throws Exception {
        Reply head = expect2xx(head(draft, upload.url()));
        assertThat(required(head, "Upload-Complete"))
                .as("Upload-Complete of a finished upload")
                .isEqualTo("?1");
        assertThat(offset(head)).isEqualTo(upload.data().length);
        Optional<byte[]> stored = storedBytes(upload.url());
        if (stored.isPresent()) {
            assertThat(TestFiles.sha256(stored.get()))
                    .as("SHA-256 of the stored bytes")
                    .isEqualTo(TestFiles.sha256(upload.data()));
        }
    }

    /**
     * After an interrupted request: asks for the offset (which must never exceed what was sent, with the upload
     * still incomplete) and appends the rest, until the upload is complete. The interrupted request may still be
     * stored meanwhile, so an append can meet a 409 or be ended by it (a 2xx with {@code Upload-Complete: ?0} that
     * kept part of its content); the next round asks again. Bounded by a settle timeout.
     */
    void resumeUntilComplete(Draft draft, Upload upload, int sent) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        long bound = sent;
        while (true) {
            Reply head = expect2xx(head(draft, upload.url()));
            long offset = offset(head);
            assertThat(offset).as("offset after an interrupted append").isBetween(0L, bound);
            assertThat(required(head, "Upload-Complete")).isEqualTo("?0");
            Reply patch = patch(draft, upload, (int) offset, upload.data().length, true);
            if (patch.status() / 100 == 2 && required(patch, "Upload-Complete").equals("?1")) {
                assertThat(offset(patch)).isEqualTo(upload.data().length);
                return;
            }
            if (patch.status() / 100 == 2) {
                assertThat(offset(patch)).as("what an ended append kept").isBetween(offset, (long)
                        upload.data().length);
            } else {
                assertThat(patch.status()).as(patch.request()).isEqualTo(409);
            }
            bound = upload.data().length - 1;
            assertThat(System.nanoTime()).as("the upload settled in time").isLessThan(deadline);
        }
    }

    static Reply expect(Reply reply, int status) {
        assertThat(reply.status())
                .as(reply.request() + " answered " + reply.body())
                .isEqualTo(status);
        return reply;
    }

    static Reply expect2xx(Reply reply) {
        assertThat(reply.status())
                .as(reply.request() + " answered " + reply.body())
                .isBetween(200, 299);
        return reply;
    }

    static Optional<String> header(Reply reply, String name) {
        return reply.headers().firstValue(name);
    }

    static String required(Reply reply, String name) {
        return header(reply, name)
                .orElseThrow(() -> new AssertionError(reply.request() + ": the answer has no " + name));
    }

    /** A header holding an sf-integer. */
    static long integer(Reply reply, String name) {
        String value = required(reply, name).trim();
        assertThat(value).as(name + " is an sf-integer").matches(SF_INTEGER);
        return Long.parseLong(value);
    }

    static long offset(Reply reply) {
        return integer(reply, "Upload-Offset");
    }

    URI location(Reply reply) {
        return creationUrl().resolve(required(reply, "Location"));
    }

    /** The {@code type} member of a problem-details answer, or empty if the answer is not one. */
    static Optional<String> problemType(Reply reply) {
        if (!header(reply, "Content-Type").orElse("").startsWith("application/problem+json")) {
            return Optional.empty();
        }
        Matcher matcher = JSON_STRING.matcher(reply.body());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The members of an {@code Upload-Limit} dictionary (RFC 9651 §3.2), checking its syntax. */
    static Map<String, Long> limits(Reply reply) {
        Map<String, Long> members = new LinkedHashMap<>();
        for (String member : required(reply, "Upload-Limit").split(",")) {
            String[] parts = member.trim().split("=", 2);
            assertThat(parts).as("Upload-Limit member " + member).hasSize(2);
            assertThat(parts[0]).matches("[a-z*][a-z0-9_.*-]*");
            assertThat(parts[1]).as("Upload-Limit " + parts[0]).matches(SF_INTEGER);
            members.put(parts[0], Long.parseLong(parts[1]));
        }
        return members;
    }

    static Map<String, String> pairs(String... headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] == null) {
                map.remove(headers[i]);
            } else {
                map.put(headers[i], headers[i + 1]);
            }
        }
        return map;
    }

    static String[] concat(String[] first, String... second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
