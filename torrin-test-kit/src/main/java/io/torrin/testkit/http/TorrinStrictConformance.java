/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.testkit.TestFiles;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The groups of {@link TorrinProtocolConformanceKit} about hostile and unusual requests: case of method tokens,
 * declared types, refusals known from the headers, stalled requests, repeated headers, trailing JSON, the
 * {@code Host} header and the JSON types of metadata; subclass the kit, not this class.
 */
public abstract class TorrinStrictConformance extends TorrinConformanceSupport {

    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    private URI server() {
        return mountUrl();
    }

    private String path(String below) {
        return mountUrl().getRawPath() + below;
    }

    private String host() {
        return "Host: " + mountUrl().getHost() + ":" + mountUrl().getPort() + "\r\n";
    }

    @Nested
    @DisplayName("strict requests")
    class Strict {

        @Test
        @DisplayName("method tokens are case-sensitive: put, delete and Delete are 405 with Allow and change nothing")
        void methodCase() throws Exception {
            Upload upload = newUpload(2);
            byte[] chunk = upload.chunk(0);
            for (String method : new String[] {"put", "Put"}) {
                RawHttp.Response answer = RawHttp.exchange(
                        server(),
                        method + " " + path("/" + upload.id() + "/chunks/0") + " HTTP/1.1\r\n" + host()
                                + "Content-Length: " + chunk.length + "\r\nConnection: close\r\n",
                        chunk,
                        AT_ONCE.multipliedBy(6));
                assertThat(answer.status()).as("%s: %s", method, answer.body()).isEqualTo(405);
                assertThat(answer.header("Allow"))
                        .hasValueSatisfying(allow -> assertThat(allow).contains("PUT"));
            }
            for (String method : new String[] {"delete", "Delete", "dElEtE"}) {
                RawHttp.Response answer = RawHttp.exchange(
                        server(),
                        method + " " + path("/" + upload.id()) + " HTTP/1.1\r\n" + host()
                                + "Content-Length: 0\r\nConnection: close\r\n",
                        new byte[0],
                        AT_ONCE.multipliedBy(6));
                assertThat(answer.status()).as("%s: %s", method, answer.body()).isEqualTo(405);
                assertThat(answer.header("Allow"))
                        .hasValueSatisfying(allow -> assertThat(allow).contains("DELETE"));
            }
            Answer status = status(upload);
            assertThat(status.json().get("status").asText()).isEqualTo("pending");
            assertThat(status.json().get("receivedChunks")).isEmpty();
        }

        @Test
        @DisplayName("a chunk declared application/x-www-form-urlencoded (curl --data-binary) is stored like any other")
        void formTypedChunk() throws Exception {
            Upload upload = newUpload(2);
            for (int index = 0; index < upload.totalChunks(); index++) {
                Answer put = put(
                        upload,
                        index,
                        upload.chunk(index),
                        "Content-Type",
                        "application/x-www-form-urlencoded",
                        "X-Torrin-Chunk-Hash",
                        TestFiles.sha256(upload.chunk(index)));
                assertThat(put.status()).as("chunk %d: %s", index, put.json()).isEqualTo(200);
            }
            completeAndVerify(upload);
        }

        @Test
        @DisplayName("a refusal known from the headers is answered at once, with Connection: close, even when the"
                + " declared body never comes")
        void earlyRefusal() throws Exception {
            Upload upload = newUpload(2);
            RawHttp.Response answer = RawHttp.exchange(
                    server(),
                    "PUT " + path("/" + upload.id() + "/chunks/99") + " HTTP/1.1\r\n" + host()
                            + "Content-Length: 999999999\r\n",
                    new byte[0],
                    AT_ONCE.multipliedBy(6));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("CHUNK_OUT_OF_RANGE");
            assertThat(answer.header("Connection")).hasValue("close");
            assertThat(answer.elapsed()).isLessThan(AT_ONCE);
        }

        @Test
        @DisplayName("a JSON body declared above the limit is 413 PAYLOAD_TOO_LARGE at once, unread")
        void declaredJsonTooLarge() throws Exception {
            RawHttp.Response answer = RawHttp.exchange(
                    server(),
                    "POST " + path("") + " HTTP/1.1\r\n" + host()
                            + "Content-Type: application/json\r\nContent-Length: 209715200\r\n",
                    new byte[0],
                    AT_ONCE.multipliedBy(6));
            assertThat(answer.status()).as(answer.body()).isEqualTo(413);
            assertThat(answer.body()).contains("PAYLOAD_TOO_LARGE");
            assertThat(answer.elapsed()).isLessThan(AT_ONCE);
        }

        @Test
        @DisplayName("a refused request that expects 100-continue gets its answer without an interim 100 Continue")
        void noContinueForARefusal() throws Exception {
            Upload upload = newUpload(2);
            RawHttp.Response answer = RawHttp.exchange(
                    server(),
                    "PUT " + path("/" + upload.id() + "/chunks/99") + " HTTP/1.1\r\n" + host()
                            + "Content-Length: 1000\r\nExpect: 100-continue\r\n",
                    new byte[0],
                    AT_ONCE.multipliedBy(6));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.interim()).isEmpty();
        }

        @Test
        @DisplayName("a chunk PUT that stalls does not hold off the re-sent chunk, which is stored at once")
        void stalledChunk() throws Exception {
            Upload upload = newUpload(2);
            byte[] chunk = upload.chunk(0);
            try (Socket stalled = new Socket(mountUrl().getHost(), mountUrl().getPort())) {
                OutputStream out = stalled.getOutputStream();
                out.write(("PUT " + path("/" + upload.id() + "/chunks/0") + " HTTP/1.1\r\n" + host()
                                + "Content-Type: application/octet-stream\r\nContent-Length: " + chunk.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk, 0, chunk.length / 2);
                out.flush();
                Thread.sleep(500);
                long start = System.nanoTime();
                Answer resent = put(upload, 0);
                assertThat(resent.status()).as("%s", resent.json()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
            }
            put(upload, 1);
            completeAndVerify(upload);
        }

        @Test
        @DisplayName("a protocol header sent twice is 400 INVALID_REQUEST and nothing is recorded")
        void repeatedHeader() throws Exception {
            Upload upload = newUpload(2);
            byte[] chunk = upload.chunk(0);
            String hash = TestFiles.sha256(chunk);
            RawHttp.Response answer = RawHttp.exchange(
                    server(),
                    "PUT " + path("/" + upload.id() + "/chunks/0") + " HTTP/1.1\r\n" + host()
                            + "Content-Length: " + chunk.length + "\r\nX-Torrin-Chunk-Hash: " + hash
                            + "\r\nX-Torrin-Chunk-Hash: " + hash + "\r\nConnection: close\r\n",
                    chunk,
                    AT_ONCE.multipliedBy(6));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("INVALID_REQUEST");
            assertThat(status(upload).json().get("receivedChunks")).isEmpty();
        }

        @Test
        @DisplayName("JSON with content after the value is 400 INVALID_REQUEST")
        void trailingJson() throws Exception {
            for (String body :
                    new String[] {"{\"fileSize\":5} xyz", "{\"fileSize\":5}{\"fileSize\":6}", "{\"fileSize\":5}]]]"}) {
                Answer answer = createRaw(body);
                assertError(answer, 400, "INVALID_REQUEST");
            }
        }

        @Test
        @DisplayName("an empty Host header is 400")
        void emptyHost() throws Exception {
            byte[] json = "{\"fileSize\":5}".getBytes(StandardCharsets.UTF_8);
            RawHttp.Response answer = RawHttp.exchange(
                    server(),
                    "POST " + path("") + " HTTP/1.1\r\nHost: \r\nContent-Type: application/json\r\nContent-Length: "
                            + json.length + "\r\nConnection: close\r\n",
                    json,
                    AT_ONCE.multipliedBy(6));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.header("Location")).isEmpty();
        }

        @Test
        @DisplayName("metadata numbers and booleans come back as sent: same JSON type, same text")
        void metadataTypes() throws Exception {
            String metadata = "{\"count\":7,\"ratio\":1.10,\"big\":1e2,\"huge\":1e999,\"flag\":true,\"text\":\"7\"}";
            byte[] json = ("{\"fileName\":\"types.bin\",\"fileSize\":3,\"metadata\":" + metadata + "}")
                    .getBytes(StandardCharsets.UTF_8);
            RawHttp.Response created = RawHttp.exchange(
                    server(),
                    "POST " + path("") + " HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n"
                            + "Content-Length: " + json.length + "\r\nConnection: close\r\n",
                    json,
                    AT_ONCE.multipliedBy(6));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String compact = created.body().replace(" ", "");
            assertThat(compact)
                    .contains(
                            "\"count\":7",
                            "\"ratio\":1.10",
                            "\"big\":1e2",
                            "\"huge\":1e999",
                            "\"flag\":true",
                            "\"text\":\"7\"");
            JsonNode session = JSON.readTree(created.body());
            String id = session.get("uploadId").asText();
            Answer put = call("PUT", "/" + id + "/chunks/0", BodyPublishers.ofByteArray(TestFiles.randomBytes(3)));
            assertThat(put.status()).isEqualTo(200);
            Answer done = call(
                    "POST", "/" + id + "/complete", BodyPublishers.ofString("{}"), "Content-Type", "application/json");
            assertThat(done.status()).as("%s", done.json()).isEqualTo(200);
            assertMetadata(done.json().get("metadata"));
        }

        private void assertMetadata(JsonNode metadata) {
            assertThat(metadata.get("count").isIntegralNumber()).isTrue();
            assertThat(metadata.get("count").asLong()).isEqualTo(7);
            assertThat(metadata.get("ratio").isNumber()).isTrue();
            assertThat(metadata.get("ratio").asDouble()).isEqualTo(1.1);
            assertThat(metadata.get("big").isNumber()).isTrue();
            assertThat(metadata.get("big").asDouble()).isEqualTo(100.0);
            assertThat(metadata.get("huge").isNumber()).isTrue();
            assertThat(metadata.get("flag").isBoolean()).isTrue();
            assertThat(metadata.get("flag").asBoolean()).isTrue();
            assertThat(metadata.get("text").isTextual()).isTrue();
            assertThat(metadata.get("text").asText()).isEqualTo("7");
        }
    }
}
