/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.ietf;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.RawHttp;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Black-box conformance of a server of the IETF draft "Resumable Uploads for HTTP"
 * ({@code draft-ietf-httpbis-resumable-upload}) in three revisions at once: -03 (interop version 5), -05 (6) and
 * the latest (9), each test run for every revision its rule belongs to and naming the section it checks (section
 * numbers of -03/-05 first, then of the latest revision). Every requirement a server can be tested for from outside
 * is here, except the {@code 104 (Upload Resumption Supported)} interim responses, which are optional.
 *
 * <pre>{@code
 * class MyResumableServerTest extends ResumableUploadConformanceKit {
 *     protected URI creationUrl() { return URI.create("http://127.0.0.1:" + port + "/resumable"); }
 *     protected long maxSize() { return 64L * 1024 * 1024; }
 * }
 * }</pre>
 *
 * Uploads carry random bytes; when one is complete the suite checks offset and {@code Upload-Complete} with a
 * {@code HEAD} and, when {@link #storedBytes} can read the server's storage, the SHA-256 of the stored bytes. The
 * largest upload is 1 MiB.
 */
public abstract class ResumableUploadConformanceKit extends ResumableConformanceSupport {

    private static final String ALL = "io.torrin.testkit.ietf.ResumableConformanceSupport#all";
    private static final String FROM_05 = "io.torrin.testkit.ietf.ResumableConformanceSupport#from05";
    private static final String INTERIM = "io.torrin.testkit.ietf.ResumableConformanceSupport#interim";

    // ------------------------------------------------------------------------------------------ upload creation

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§4 / §4.2.2: a creation without content answers 201 with Location, Upload-Offset 0 and "
            + "Upload-Complete ?0; appends then fill it, and the stored bytes are the sent ones")
    void createThenAppend(Draft draft) throws Exception {
        Upload upload = create(draft, 300_000, true);
        Reply first = expect2xx(patch(draft, upload, 0, 100_000, false));
        assertThat(offset(first)).isEqualTo(100_000);
        assertThat(required(first, "Upload-Complete")).isEqualTo("?0");
        Reply head = expect2xx(head(draft, upload.url()));
        assertThat(offset(head))
                .as("§5 / §4.3.2: the offset the next append must use")
                .isEqualTo(100_000);
        Reply last = expect2xx(patch(draft, upload, 100_000, 300_000, true));
        assertThat(offset(last)).isEqualTo(300_000);
        assertThat(required(last, "Upload-Complete"))
                .as("§4.4.2: a completed append says Upload-Complete: ?1 (and -03/-05 never ?0)")
                .isEqualTo("?1");
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§4 / §4.2.2: a creation with Upload-Complete: ?1 and the whole content completes at once")
    void createComplete(Draft draft) throws Exception {
        byte[] data = TestFiles.randomBytes(200_000);
        Reply created = expect2xx(send(draft, "POST", creationUrl(), data, "Upload-Complete", "?1"));
        assertThat(header(created, "Upload-Complete")).hasValue("?1");
        assertComplete(draft, new Upload(location(created), data));
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§4 / §4.2.2: a creation with part of the content (?0) keeps it; the rest follows by PATCH")
    void createWithPart(Draft draft) throws Exception {
        Upload upload = new Upload(null, TestFiles.randomBytes(250_000));
        Reply created = expect(
                send(
                        draft,
                        "POST",
                        creationUrl(),
                        upload.slice(0, 50_000),
                        "Upload-Complete",
                        "?0",
                        "Upload-Length",
                        "250000"),
                201);
        assertThat(offset(created)).isEqualTo(50_000);
        assertThat(required(created, "Upload-Complete")).isEqualTo("?0");
        Upload resumed = new Upload(location(created), upload.data());
        expect2xx(patch(draft, resumed, 50_000, 250_000, true));
        assertComplete(draft, resumed);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§4 / §4.2.2: a creation whose content comes in chunks (no Content-Length) with ?1 completes")
    void createChunked(Draft draft) throws Exception {
        byte[] data = TestFiles.randomBytes(180_000);
        Reply created = expect2xx(sendChunked(
                draft,
                "POST",
                creationUrl(),
                List.of(Arrays.copyOfRange(data, 0, 90_000), Arrays.copyOfRange(data, 90_000, 180_000)),
                "Upload-Complete",
                "?1"));
        assertComplete(draft, new Upload(location(created), data));
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§4 / §4.2.1: a creation carrying Upload-Offset, or no valid Upload-Complete, is refused with 400")
    void createMalformed(Draft draft) throws Exception {
        expect(send(draft, "POST", creationUrl(), null, "Upload-Complete", "?0", "Upload-Offset", "0"), 400);
        expect(send(draft, "POST", creationUrl(), null, "Upload-Complete", "yes"), 400);
        expect(send(draft, "POST", creationUrl(), null, "Upload-Length", "10"), 400);
    }

    @ParameterizedTest
    @MethodSource(FROM_05)
    @DisplayName("§4 / §4.1.3: Upload-Length that disagrees with a complete creation's content is refused with 400")
    void createInconsistentLength(Draft draft) throws Exception {
        Reply reply = expect(
                send(
                        draft,
                        "POST",
                        creationUrl(),
                        TestFiles.randomBytes(1_000),
                        "Upload-Complete",
                        "?1",
                        "Upload-Length",
                        "999"),
                400);
        if (draft == Draft.LATEST) {
            assertThat(problemType(reply)).as("§7.2").hasValue(INCONSISTENT_LENGTH);
        }
        assertThat(header(reply, "Location")).as("no upload was created").isEmpty();
    }

    @ParameterizedTest
    @MethodSource(FROM_05)
    @DisplayName("§8.2 / §4.1.4: a length above the server's max-size is refused (413) and creates nothing")
    void createTooLarge(Draft draft) throws Exception {
        Reply options = expect2xx(send(draft, "OPTIONS", creationUrl(), null));
        Map<String, Long> limits = limits(options);
        assertThat(limits)
                .as("§8.2 / §4.1.4: OPTIONS announces limits, min-size=0 when there are none")
                .containsAnyOf(Map.entry("min-size", 0L), Map.entry("max-size", maxSize()));
        if (maxSize() < 999_999_999_999_999L) {
            Reply reply = expect(
                    send(
                            draft,
                            "POST",
                            creationUrl(),
                            null,
                            "Upload-Complete",
                            "?0",
                            "Upload-Length",
                            Long.toString(maxSize() + 1)),
                    413);
            assertThat(header(reply, "Location")).isEmpty();
        }
    }

    // ----------------------------------------------------------------------------------------- offset retrieval

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§5 / §4.3.2: HEAD answers 2xx with Upload-Offset, Upload-Complete, Upload-Length and Upload-Limit"
            + " (from -05) and Cache-Control: no-store")
    void offsetRetrieval(Draft draft) throws Exception {
        Upload upload = create(draft, 120_000, true);
        expect2xx(patch(draft, upload, 0, 40_000, false));
        Reply head = expect2xx(head(draft, upload.url()));
        assertThat(offset(head)).isEqualTo(40_000);
        assertThat(required(head, "Upload-Complete")).isEqualTo("?0");
        assertThat(required(head, "Cache-Control")).contains("no-store");
        if (draft.atLeast05()) {
            assertThat(integer(head, "Upload-Length")).isEqualTo(120_000);
            assertThat(limits(head)).isNotEmpty();
        }
        expect2xx(patch(draft, upload, 40_000, 120_000, true));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(FROM_05)
    @DisplayName("§8.2 / §4.1.4: an upload's limits do not change over its life (but for the time left)")
    void limitsStay(Draft draft) throws Exception {
        byte[] data = TestFiles.randomBytes(30_000);
        Reply created = expect(
                send(
                        draft,
                        "POST",
                        creationUrl(),
                        Arrays.copyOfRange(data, 0, 10_000),
                        "Upload-Complete",
                        "?0",
                        "Upload-Length",
                        "30000",
                        "Content-Type",
                        PARTIAL_UPLOAD),
                201);
        Upload upload = new Upload(location(created), data);
        Map<String, Long> atCreation = limits(created);
        atCreation.remove("max-age");
        expect2xx(patch(draft, upload, 10_000, 20_000, false));
        Map<String, Long> later = limits(expect2xx(head(draft, upload.url())));
        later.remove("max-age");
        assertThat(later).isEqualTo(atCreation);
        expect2xx(patch(draft, upload, 20_000, 30_000, true));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§5 / §4.3.2: the offset of an unknown upload is 404")
    void offsetUnknown(Draft draft) throws Exception {
        expect(head(draft, URI.create(creationUrl() + "/00000000000000000000000000000000")), 404);
    }

    @ParameterizedTest
    @MethodSource(INTERIM)
    @DisplayName("§5: an offset retrieval carrying Upload-Offset or Upload-Complete is refused with 400")
    void offsetWithUploadFields(Draft draft) throws Exception {
        Upload upload = create(draft, 1_000, true);
        expect(head(draft, upload.url(), "Upload-Offset", "0"), 400);
        expect(head(draft, upload.url(), "Upload-Complete", "?0"), 400);
    }

    // -------------------------------------------------------------------------------------------- upload append

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: an append at the wrong offset is 409 (mismatching-upload-offset with the expected and "
            + "provided offsets, Upload-Offset and Upload-Complete: ?0) and changes nothing")
    void offsetMismatch(Draft draft) throws Exception {
        Upload upload = create(draft, 50_000, true);
        expect2xx(patch(draft, upload, 0, 10_000, false));
        Reply reply = expect(patch(draft, upload, 5_000, 20_000, false), 409);
        assertThat(offset(reply)).as("the correct offset").isEqualTo(10_000);
        if (draft == Draft.LATEST) {
            assertThat(required(reply, "Upload-Complete")).isEqualTo("?0");
        }
        if (draft.atLeast05()) {
            assertThat(problemType(reply)).as("§10.1 / §7.1").hasValue(MISMATCHING_OFFSET);
            assertThat(reply.body()).contains("\"expected-offset\":10000").contains("\"provided-offset\":5000");
        }
        assertThat(offset(expect2xx(head(draft, upload.url())))).isEqualTo(10_000);
        expect2xx(patch(draft, upload, 10_000, 50_000, true));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(FROM_05)
    @DisplayName("§6 / §4.4.1: an append that is not application/partial-upload is refused and changes nothing")
    void appendMediaType(Draft draft) throws Exception {
        Upload upload = create(draft, 2_000, true);
        Reply reply = send(
                draft,
                "PATCH",
                upload.url(),
                upload.slice(0, 1_000),
                "Upload-Offset",
                "0",
                "Upload-Complete",
                "?0",
                "Content-Type",
                "application/octet-stream");
        assertThat(reply.status()).as(reply.request()).isIn(400, 415);
        assertThat(offset(expect2xx(head(draft, upload.url())))).isZero();
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName(
            "§6 / §4.4.2: with ?1, Content-Length that disagrees with the recorded length is 400; nothing " + "changes")
    void appendInconsistentLength(Draft draft) throws Exception {
        Upload upload = create(draft, 5_000, true);
        expect(patch(draft, upload, 0, 4_000, true), 400);
        assertThat(offset(expect2xx(head(draft, upload.url())))).isZero();
        expect2xx(patch(draft, upload, 0, 5_000, true));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: an append past the recorded length is refused and stores none of it")
    void appendPastLength(Draft draft) throws Exception {
        Upload upload = create(draft, 3_000, true);
        Reply reply = send(
                draft,
                "PATCH",
                upload.url(),
                TestFiles.randomBytes(3_001),
                "Upload-Offset",
                "0",
                "Upload-Complete",
                "?0",
                "Content-Type",
                draft.atLeast05() ? PARTIAL_UPLOAD : null);
        assertThat(reply.status()).as(reply.request()).isIn(400, 413);
        assertThat(offset(expect2xx(head(draft, upload.url())))).isZero();
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: more content for a completed upload is refused (-05 §10.2: completed-upload) and the "
            + "stored bytes stay the same")
    void appendToCompleted(Draft draft) throws Exception {
        byte[] data = TestFiles.randomBytes(10_000);
        Upload upload = new Upload(
                location(expect2xx(send(draft, "POST", creationUrl(), data, "Upload-Complete", "?1"))), data);
        Reply reply = send(
                draft,
                "PATCH",
                upload.url(),
                TestFiles.randomBytes(100),
                "Upload-Offset",
                "10000",
                "Upload-Complete",
                "?1",
                "Content-Type",
                draft.atLeast05() ? PARTIAL_UPLOAD : null);
        assertThat(reply.status()).as(reply.request()).isEqualTo(400);
        if (draft == Draft.DRAFT_05) {
            assertThat(problemType(reply)).hasValue(COMPLETED_UPLOAD);
        }
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: an upload created without a length learns it from the ?1 append")
    void deferredLength(Draft draft) throws Exception {
        Upload upload = create(draft, 70_000, false);
        Reply head = expect2xx(head(draft, upload.url()));
        assertThat(header(head, "Upload-Length")).as("no length is known yet").isEmpty();
        expect2xx(patch(draft, upload, 0, 30_000, false));
        expect2xx(patch(draft, upload, 30_000, 70_000, true));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: a chunked ?1 append (no Content-Length) of an upload without a length completes it")
    void appendChunked(Draft draft) throws Exception {
        Upload upload = create(draft, 90_000, false);
        expect2xx(sendChunked(
                draft,
                "PATCH",
                upload.url(),
                List.of(upload.slice(0, 45_000), upload.slice(45_000, 90_000)),
                "Upload-Offset",
                "0",
                "Upload-Complete",
                "?1",
                "Content-Type",
                draft.atLeast05() ? PARTIAL_UPLOAD : "application/octet-stream"));
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: an interrupted ?1 append leaves the upload incomplete at an offset no larger than "
            + "what was sent; resuming from it completes the upload")
    void interruptedAppend(Draft draft) throws Exception {
        Upload upload = create(draft, 1024 * 1024, true);
        int sent = 300 * 1024;
        Map<String, String> fields = new LinkedHashMap<>(Map.of(
                "Upload-Draft-Interop-Version", Integer.toString(draft.interop()),
                "Upload-Offset", "0",
                "Upload-Complete", "?1"));
        if (draft.atLeast05()) {
            fields.put("Content-Type", PARTIAL_UPLOAD);
        }
        RawHttp.sendAndHangUp(upload.url(), "PATCH", fields, upload.data().length, upload.slice(0, sent));
        resumeUntilComplete(draft, upload, sent);
        assertComplete(draft, upload);
    }

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§6 / §4.4.2: an append to an unknown upload is 404")
    void appendUnknown(Draft draft) throws Exception {
        Upload unknown =
                new Upload(URI.create(creationUrl() + "/00000000000000000000000000000000"), TestFiles.randomBytes(10));
        expect(patch(draft, unknown, 0, 10, true), 404);
    }

    // -------------------------------------------------------------------------------------- upload cancellation

    @ParameterizedTest
    @MethodSource(ALL)
    @DisplayName("§7 / §4.5.2: DELETE cancels an upload with 204; it is unknown from then on")
    void cancel(Draft draft) throws Exception {
        Upload upload = create(draft, 20_000, true);
        expect2xx(patch(draft, upload, 0, 5_000, false));
        expect(send(draft, "DELETE", upload.url(), null), 204);
        expect(head(draft, upload.url()), 404);
        expect(patch(draft, upload, 5_000, 20_000, true), 404);
        expect(send(draft, "DELETE", upload.url(), null), 404);
    }

    @ParameterizedTest
    @MethodSource(INTERIM)
    @DisplayName("§7: a cancellation carrying Upload-Offset or Upload-Complete is refused with 400")
    void cancelWithUploadFields(Draft draft) throws Exception {
        Upload upload = create(draft, 1_000, true);
        expect(send(draft, "DELETE", upload.url(), null, "Upload-Offset", "0"), 400);
        expect(send(draft, "DELETE", upload.url(), null, "Upload-Complete", "?1"), 400);
        expect2xx(head(draft, upload.url()));
    }
}
