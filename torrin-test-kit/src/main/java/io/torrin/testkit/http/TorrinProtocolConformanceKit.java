/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.testkit.Concurrently;
import io.torrin.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Black-box conformance of a server with the Torrin wire protocol ({@code PROTOCOL.md}), over real HTTP with the
 * JDK {@link HttpClient}. A subclass names the mount point, for example {@code http://127.0.0.1:PORT/torrin/uploads}:
 *
 * <pre>{@code
 * class MyServerConformanceTest extends TorrinProtocolConformanceKit {
 *     protected URI mountUrl() { return URI.create("http://127.0.0.1:" + port + "/torrin/uploads"); }
 * }
 * }</pre>
 *
 * Every upload uses random data and completes with the whole-file SHA-256, which the server verifies against what
 * it stored; subclasses with access to the storage can also compare the stored bytes through
 * {@link #storedBytes(JsonNode)}.
 */
public abstract class TorrinProtocolConformanceKit extends TorrinStrictConformance {

    @Nested
    @DisplayName("POST / creates an upload")
    class Create {

        @Test
        @DisplayName("answers 201 with the negotiated session, a Location and no caching")
        void created() throws Exception {
            Answer answer = createRaw("{\"fileName\":\"a b.txt\",\"fileSize\":1000,\"mimeType\":\"text/plain\","
                    + "\"metadata\":{\"k\":\"v\"}}");
            assertThat(answer.status()).isEqualTo(201);
            JsonNode session = answer.json();
            String id = session.get("uploadId").asText();
            assertThat(id).matches("[A-Za-z0-9_-]{16,128}");
            assertThat(answer.headers().firstValue("Location"))
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/" + id));
            assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(session.get("fileName").asText()).isEqualTo("a b.txt");
            assertThat(session.get("fileSize").asLong()).isEqualTo(1000);
            assertThat(session.get("mimeType").asText()).isEqualTo("text/plain");
            assertThat(session.get("metadata").get("k").asText()).isEqualTo("v");
            assertThat(session.get("status").asText()).isEqualTo("pending");
            long chunkSize = session.get("chunkSize").asLong();
            assertThat(session.get("totalChunks").asLong()).isEqualTo((1000 + chunkSize - 1) / chunkSize);
            assertThat(session.get("expiresAt").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }

        @Test
        @DisplayName("rejects malformed or invalid bodies with 400 INVALID_REQUEST")
        void invalid() throws Exception {
            for (String body : List.of(
                    "{",
                    "[]",
                    "{}",
                    "{\"fileSize\":\"10\"}",
                    "{\"fileSize\":1.5}",
                    "{\"fileSize\":0}",
                    "{\"fileSize\":-3}",
                    "{\"fileSize\":10,\"fileSize\":11}",
                    "{\"fileSize\":10,\"fileName\":\"../../etc/passwd\"}",
                    "{\"fileSize\":10,\"fileName\":\"a\\u0000b\"}",
                    "{\"fileSize\":10,\"metadata\":[]}",
                    "{\"fileSize\":10,\"desiredChunkSize\":\"big\"}")) {
                assertError(createRaw(body), 400, "INVALID_REQUEST");
            }
        }

        @Test
        @DisplayName("rejects an oversized JSON body with 413, a non-JSON body with 415, a huge file with 413")
        void limits() throws Exception {
            String huge = "{\"fileSize\":10,\"metadata\":{\"k\":\"" + "x".repeat(1024 * 1024) + "\"}}";
            assertError(createRaw(huge), 413, "PAYLOAD_TOO_LARGE");
            assertError(
                    call(
                            "POST",
                            "",
                            BodyPublishers.ofString("fileSize=10"),
                            "Content-Type",
                            "application/x-www-form-urlencoded"),
                    415,
                    "UNSUPPORTED_MEDIA_TYPE");
            assertError(createRaw("{\"fileSize\":" + Long.MAX_VALUE + "}"), 413, "FILE_TOO_LARGE");
        }
    }

    @Nested
    @DisplayName("a whole upload")
    class WholeUpload {

        @Test
        @DisplayName("chunks PUT from 8 threads in random order complete to the exact bytes")
        void parallel() throws Exception {
            Upload upload = newUpload(12);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < upload.totalChunks(); i++) {
                order.add(i);
            }
            Collections.shuffle(order);
            Concurrently.run(8, worker -> {
                for (int i = worker; i < order.size(); i += 8) {
                    Answer answer = put(upload, order.get(i));
                    assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
                    assertThat(answer.json().get("receivedIndex").asInt()).isEqualTo(order.get(i));
                    assertThat(answer.json().get("status").asText()).isEqualTo("in_progress");
                }
                return null;
            });
            Answer status = status(upload);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(status.json().get("receivedChunks").size()).isEqualTo(upload.totalChunks());
            assertThat(status.json().get("missingChunks").size()).isZero();
            assertThat(status.json().get("status").asText()).isEqualTo("in_progress");
            completeAndVerify(upload);
            assertThat(status(upload).json().get("status").asText()).isEqualTo("completed");
        }

        @Test
        @DisplayName("status lists received and missing chunks as they change; a re-sent chunk is accepted")
        void statusAndResend() throws Exception {
            Upload upload = newUpload(3);
            assertThat(status(upload).json().get("status").asText()).isEqualTo("pending");
            assertThat(put(upload, 2).status()).isEqualTo(200);
            assertThat(put(upload, 2).status()).isEqualTo(200);
            JsonNode status = status(upload).json();
            assertThat(status.get("receivedChunks").toString()).isEqualTo("[2]");
            assertThat(status.get("missingChunks").toString()).isEqualTo("[0,1]");
            assertThat(status.get("fileSize").asLong()).isEqualTo(upload.file().length);
            assertThat(status.get("chunkSize").asLong()).isEqualTo(upload.chunkSize());
            put(upload, 0);
            put(upload, 1);
            completeAndVerify(upload);
        }

        @Test
        @DisplayName("a body sent with chunked transfer encoding is accepted when its byte count is exact")
        void chunkedTransferEncoding() throws Exception {
            Upload upload = newUpload(2);
            for (int i = 0; i < 2; i++) {
                byte[] chunk = upload.chunk(i);
                Supplier<InputStream> stream = () -> new ByteArrayInputStream(chunk);
                Answer answer = call("PUT", "/" + upload.id() + "/chunks/" + i, BodyPublishers.ofInputStream(stream));
                assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
            }
            byte[] shortBody = Arrays.copyOf(upload.chunk(0), 10);
            Upload other = newUpload(2);
            assertError(
                    call(
                            "PUT",
                            "/" + other.id() + "/chunks/0",
                            BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(shortBody))),
                    400,
                    "CHUNK_SIZE_MISMATCH");
            completeAndVerify(upload);
        }

        @Test
        @DisplayName("a chunk whose connection breaks off is not recorded and the upload resumes")
        void interruptedChunkResumes() throws Exception {
            Upload upload = newUpload(2);
            byte[] chunk = upload.chunk(0);
            RawHttp.sendAndHangUp(
                    URI.create(mountUrl() + "/" + upload.id() + "/chunks/0"),
                    "PUT",
                    Map.of("Content-Type", "application/octet-stream"),
                    chunk.length,
                    Arrays.copyOf(chunk, chunk.length / 2));
            assertThat(status(upload).json().get("receivedChunks").toString()).isEqualTo("[]");
            Answer resent = put(upload, 0);
            assertThat(resent.status()).as("%s", resent.json()).isEqualTo(200);
            put(upload, 1);
            completeAndVerify(upload);
        }
    }

    @Nested
    @DisplayName("chunk errors leave nothing recorded")
    class ChunkErrors {

        @Test
        @DisplayName("a malformed index is 400 INVALID_REQUEST; an index outside the upload is 400 CHUNK_OUT_OF_RANGE")
        void index() throws Exception {
            Upload upload = newUpload(2);
            for (String index : List.of("1.5", "abc", "01", "+1", "1e1")) {
                assertError(
                        call("PUT", "/" + upload.id() + "/chunks/" + index, BodyPublishers.ofByteArray(new byte[1])),
                        400,
                        "INVALID_REQUEST");
            }
            for (String index : List.of("-1", "2", "2147483647")) {
                assertError(
                        call("PUT", "/" + upload.id() + "/chunks/" + index, BodyPublishers.ofByteArray(new byte[1])),
                        400,
                        "CHUNK_OUT_OF_RANGE");
            }
            Answer range = call("PUT", "/" + upload.id() + "/chunks/2", BodyPublishers.ofByteArray(new byte[1]));
            assertThat(range.json()
                            .get("error")
                            .get("details")
                            .get("totalChunks")
                            .asInt())
                    .isEqualTo(2);
        }

        @Test
        @DisplayName("a body of the wrong length is 400 CHUNK_SIZE_MISMATCH with expected and actual")
        void size() throws Exception {
            Upload upload = newUpload(2);
            Answer answer = put(upload, 0, Arrays.copyOf(upload.chunk(0), 100));
            assertError(answer, 400, "CHUNK_SIZE_MISMATCH");
            assertThat(answer.json().get("error").get("details").get("expected").asLong())
                    .isEqualTo(upload.chunkSize());
            assertThat(answer.json().get("error").get("details").get("actual").asLong())
                    .isEqualTo(100);
            assertError(put(upload, 1, upload.chunk(0)), 400, "CHUNK_SIZE_MISMATCH");
            assertThat(status(upload).json().get("receivedChunks").size()).isZero();
        }

        @Test
        @DisplayName("a body that does not match X-Torrin-Chunk-Hash is 400 CHUNK_HASH_MISMATCH")
        void hash() throws Exception {
            Upload upload = newUpload(1);
            assertError(
                    put(upload, 0, upload.chunk(0), "X-Torrin-Chunk-Hash", TestFiles.sha256(new byte[] {7})),
                    400,
                    "CHUNK_HASH_MISMATCH");
            assertError(put(upload, 0, upload.chunk(0), "X-Torrin-Chunk-Hash", "not-a-hash"), 400, "INVALID_REQUEST");
            assertThat(status(upload).json().get("receivedChunks").size()).isZero();
            assertThat(put(
                                    upload,
                                    0,
                                    upload.chunk(0),
                                    "X-Torrin-Chunk-Hash",
                                    "sha256:" + TestFiles.sha256(upload.chunk(0)))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("completing and aborting")
    class Finishing {

        @Test
        @DisplayName("complete with chunks missing is 400 MISSING_CHUNKS listing them")
        void missing() throws Exception {
            Upload upload = newUpload(3);
            put(upload, 1);
            Answer answer = complete(upload, null);
            assertError(answer, 400, "MISSING_CHUNKS");
            assertThat(answer.json()
                            .get("error")
                            .get("details")
                            .get("missingChunks")
                            .toString())
                    .isEqualTo("[0,2]");
        }

        @Test
        @DisplayName("a wrong whole-file hash is 400 FILE_HASH_MISMATCH and the upload stays completable (where "
                + "whole-file hashes are unsupported: 400 INVALID_REQUEST, still completable)")
        void fileHash() throws Exception {
            Upload upload = newUpload(2);
            put(upload, 0);
            put(upload, 1);
            if (!wholeFileHashSupported()) {
                assertError(complete(upload, TestFiles.sha256(upload.file())), 400, "INVALID_REQUEST");
                completeAndVerify(upload);
                return;
            }
            assertError(complete(upload, TestFiles.sha256(new byte[0])), 400, "FILE_HASH_MISMATCH");
            assertError(
                    call(
                            "POST",
                            "/" + upload.id() + "/complete",
                            BodyPublishers.ofString("{\"hash\":"),
                            "Content-Type",
                            "application/json"),
                    400,
                    "INVALID_REQUEST");
            completeAndVerify(upload);
        }

        @Test
        @DisplayName("after complete, chunk, complete and delete are 409 UPLOAD_ALREADY_COMPLETED")
        void afterComplete() throws Exception {
            Upload upload = newUpload(1);
            put(upload, 0);
            completeAndVerify(upload);
            assertError(put(upload, 0), 409, "UPLOAD_ALREADY_COMPLETED");
            assertError(complete(upload, null), 409, "UPLOAD_ALREADY_COMPLETED");
            assertError(call("DELETE", "/" + upload.id(), null), 409, "UPLOAD_ALREADY_COMPLETED");
        }

        @Test
        @DisplayName("DELETE answers 204; later chunks and completes are 409 UPLOAD_CANCELED")
        void abort() throws Exception {
            Upload upload = newUpload(2);
            put(upload, 0);
            Answer deleted = call("DELETE", "/" + upload.id(), null);
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.json()).isNull();
            assertError(put(upload, 1), 409, "UPLOAD_CANCELED");
            assertError(complete(upload, null), 409, "UPLOAD_CANCELED");
            assertThat(status(upload).json().get("status").asText()).isEqualTo("canceled");
        }
    }

    @Nested
    @DisplayName("routing")
    class Routing {

        @Test
        @DisplayName("unknown routes are 404 ROUTE_NOT_FOUND; unknown ids 404 UPLOAD_NOT_FOUND; malformed ids 400")
        void unknown() throws Exception {
            assertError(call("GET", "/a/b/c/d", null), 404, "ROUTE_NOT_FOUND");
            assertError(call("GET", "/abcdefghijklmnopqrstuvwxyz234567/unknown", null), 404, "ROUTE_NOT_FOUND");
            assertError(call("GET", "/abcdefghijklmnopqrstuvwxyz234567/status", null), 404, "UPLOAD_NOT_FOUND");
            Answer traversal = call("GET", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/status", null);
            assertThat(traversal.status())
                    .as("refused by the protocol or, earlier, by the container")
                    .isEqualTo(400);
            if (traversal.json() != null) {
                assertThat(traversal.errorCode()).isEqualTo("INVALID_REQUEST");
            }
            assertError(call("GET", "/short/status", null), 400, "INVALID_REQUEST");
        }

        @Test
        @DisplayName("wrong methods are 405 METHOD_NOT_ALLOWED with Allow")
        void methods() throws Exception {
            Answer root = call("GET", "", null);
            assertError(root, 405, "METHOD_NOT_ALLOWED");
            assertThat(root.headers().firstValue("Allow"))
                    .hasValueSatisfying(v -> assertThat(v).contains("POST"));
            Answer status = call("POST", "/abcdefghijklmnopqrstuvwxyz234567/status", BodyPublishers.noBody());
            assertError(status, 405, "METHOD_NOT_ALLOWED");
            assertThat(status.headers().firstValue("Allow"))
                    .hasValueSatisfying(v -> assertThat(v).contains("GET"));
            assertError(
                    call("PATCH", "/abcdefghijklmnopqrstuvwxyz234567/chunks/0", BodyPublishers.noBody()),
                    405,
                    "METHOD_NOT_ALLOWED");
        }
    }
}
