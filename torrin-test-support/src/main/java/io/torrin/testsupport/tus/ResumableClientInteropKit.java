/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.AppendStatus;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.tus.NodeTusClientRunner.Exchange;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop of an endpoint of the IETF resumable-upload draft with the real tus-js-client in both of its draft modes,
 * {@code protocol: 'ietf-draft-03'} ({@code Upload-Draft-Interop-Version: 5}) and {@code 'ietf-draft-05'} (6): each
 * test uploads a fresh file of random bytes through the client under Node and compares the SHA-256 of the bytes
 * the server stored with that of the source; the interrupted ones check the server's offset between two client
 * processes, and that the second one resumes (HEAD, then PATCH) instead of creating a new upload.
 *
 * <p>The contract of a subclass is that of {@link TusClientInteropKit} ({@link #creationUrl()} names the draft's
 * creation endpoint); the endpoint must accept uploads of at least {@code 4 × chunkSize() + 17} bytes.
 */
public abstract class ResumableClientInteropKit extends ClientInteropSupport {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ietf-draft-03", "ietf-draft-05"})
    @DisplayName("tus-js-client (IETF draft): interrupted after a third, resumed by a new process from the upload URL")
    void interruptedThenResumed(String protocol) throws Exception {
        NodeTusClientRunner node = node();
        byte[] data = TestFiles.randomBytes(4 * chunkSize() + TAIL);
        String fileName = "ietf-resume-" + token() + ".bin";
        Path file = write(fileName, data);
        bounded(() -> {
            NodeTusClientRunner.Result first = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions()
                            .protocol(protocol)
                            .stopAfterBytes(data.length / 3)
                            .metadata("filetype", FILE_TYPE));
            assertThat(first.aborted()).as("the first process stopped part-way").isTrue();
            assertThat(first.exchanges().get(0).method()).isEqualTo("POST");
            assertThat(first.exchanges().get(0).status()).isEqualTo(201);
            URI url = first.uploadUrl();
            assertThat(url).isNotNull();
            assertThat(first.offset()).isGreaterThanOrEqualTo(data.length / 3).isLessThan(data.length);
            assertThat(status(url).offset())
                    .as("server offset between the processes")
                    .isEqualTo(first.offset());
            assertThat(storedBytes(url))
                    .as("stored bytes of the unfinished upload")
                    .isEmpty();

            NodeTusClientRunner.Result second =
                    node.resume(url, file, nodeOptions().protocol(protocol));
            assertThat(second.done()).isTrue();
            Exchange head = second.exchanges().get(0);
            assertThat(head.method()).isEqualTo("HEAD");
            assertThat(head.status()).isEqualTo(204);
            assertThat(head.uploadOffset()).isEqualTo(first.offset());
            assertThat(second.exchanges()).extracting(Exchange::method).doesNotContain("POST");
            assertThat(second.offset()).isEqualTo(data.length);
            assertStored(url, data);
            UploadSession session = status(url).session();
            assertThat(session.fileName())
                    .as("fileName from the tus-style metadata")
                    .contains(fileName);
            assertThat(session.mimeType()).isEqualTo(FILE_TYPE);
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ietf-draft-03", "ietf-draft-05"})
    @DisplayName("tus-js-client (IETF draft): uploadDataDuringCreation sends the first chunk with the creation")
    void dataDuringCreation(String protocol) throws Exception {
        NodeTusClientRunner node = node();
        byte[] data = TestFiles.randomBytes(4 * chunkSize() + TAIL);
        Path file = write("ietf-with-upload-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result result = node.upload(
                    creationUrl(), file, nodeOptions().protocol(protocol).uploadDataDuringCreation(true));
            assertThat(result.done()).isTrue();
            Exchange creation = result.exchanges().get(0);
            assertThat(creation.method()).isEqualTo("POST");
            assertThat(creation.status()).isEqualTo(201);
            assertThat(creation.uploadOffset()).isEqualTo(chunkSize());
            assertStored(result.uploadUrl(), data);
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ietf-draft-03", "ietf-draft-05"})
    @DisplayName("tus-js-client (IETF draft): uploadLengthDeferred, interrupted while the length is unknown, resumed;"
            + " the last append's Upload-Complete: ?1 gives the length")
    void deferredLength(String protocol) throws Exception {
        NodeTusClientRunner node = node();
        byte[] data = TestFiles.randomBytes(4 * chunkSize() + TAIL);
        Path file = write("ietf-deferred-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result first = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions().protocol(protocol).uploadLengthDeferred(true).stopAfterBytes(data.length / 3));
            assertThat(first.aborted()).isTrue();
            URI url = first.uploadUrl();
            AppendStatus between = status(url);
            assertThat(between.offset()).isEqualTo(first.offset());
            assertThat(between.session().fileSize()).as("no length known yet").isEmpty();
            NodeTusClientRunner.Result second =
                    node.resume(url, file, nodeOptions().protocol(protocol).uploadLengthDeferred(true));
            assertThat(second.done()).isTrue();
            assertStored(url, data);
            assertThat(status(url).session().fileSize()).hasValue(data.length);
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ietf-draft-03", "ietf-draft-05"})
    @DisplayName("tus-js-client (IETF draft): abort with terminate cancels the upload (DELETE 204, then HEAD 404)")
    void terminated(String protocol) throws Exception {
        NodeTusClientRunner node = node();
        byte[] data = TestFiles.randomBytes(4 * chunkSize() + TAIL);
        Path file = write("ietf-terminate-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result result = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions()
                            .protocol(protocol)
                            .stopAfterBytes(data.length / 3)
                            .terminateOnStop());
            assertThat(result.aborted()).isTrue();
            URI url = result.uploadUrl();
            assertThat(result.exchanges())
                    .filteredOn(e -> e.method().equals("DELETE"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(204));
            HttpResponse<Void> head = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(20))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .header("Upload-Draft-Interop-Version", protocol.equals("ietf-draft-03") ? "5" : "6")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("HEAD of the cancelled upload").isEqualTo(404);
            assertThat(status(url).session().state()).isEqualTo(UploadState.CANCELED);
            assertThat(storedBytes(url)).isEmpty();
            return null;
        });
    }
}
