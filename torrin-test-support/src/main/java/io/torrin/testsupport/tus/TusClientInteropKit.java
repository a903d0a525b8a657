/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.AppendStatus;
import io.torrin.core.UploadSession;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.tus.NodeTusClientRunner.Exchange;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop of a tus 1.0 endpoint with the real tus clients: {@code tus-java-client} (in the test's JVM, through
 * {@link JavaTusClientRunner}) and {@code tus-js-client} (under Node, through {@link NodeTusClientRunner}). Each
 * test uploads a fresh file of random bytes and compares the SHA-256 of the bytes the server stored with that of
 * the source, never only the length; the interrupted ones also check the server's offset between the two client
 * runs, and some check how tus metadata became the upload's {@code fileName}, {@code mimeType} and
 * {@code metadata}.
 *
 * <pre>{@code
 * class MyTusInteropTest extends TusClientInteropKit {
 *     protected URI creationUrl() { return server.url("/files"); }
 *     protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException { ... }
 *     protected AppendStatus status(URI uploadUrl) { return service.appends().getStatus(idOf(uploadUrl), none()); }
 * }
 * }</pre>
 *
 * <p><b>Contract of a subclass.</b> It starts the server before the tests (typically in a static
 * {@code @BeforeAll}) and stops it afterwards ({@code @AfterAll}); the kit neither starts nor closes anything of
 * the subclass's. {@link #creationUrl()} is the tus creation endpoint; upload URLs are whatever the server puts in
 * {@code Location}, and are handed back to {@link #storedBytes(URI)} and {@link #status(URI)} as the client saw
 * them (absolute). The server must offer the {@code creation}, {@code creation-with-upload},
 * {@code creation-defer-length}, {@code termination} and {@code concatenation} extensions and honour
 * {@code X-HTTP-Method-Override} (tus-java-client sends PATCH that way), and accept uploads of at least
 * {@code 4 × chunkSize() + 17} bytes.
 *
 * <p><b>Sizes.</b> Every size derives from {@link #chunkSize()} (256 KiB by default): most files are
 * {@code 4 × chunkSize() + 17} bytes, so the last chunk is short; one is exactly {@code 4 × chunkSize()}, so
 * tus-java-client ends with an empty PATCH. Clients send one {@code chunkSize()} per PATCH. A storage with a
 * minimum part size (S3: 5 MiB) overrides {@link #chunkSize()} accordingly; files are held in memory (tus-js-client
 * reads them into a Buffer), so keep it to some MiB.
 *
 * <p><b>Time.</b> Each client call is limited by {@link #clientTimeout()} (the runners kill or abandon it then) and
 * each test body by {@link #testTimeout()} ({@code assertTimeoutPreemptively}, so the body runs in another thread).
 * The first Node test of a class may first run {@code npm ci} in the Node work directory, bounded by the runner's
 * own five-minute install limit, outside {@link #testTimeout()}. Nothing waits by sleeping.
 *
 * <p><b>Node.</b> The tus-js-client tests start with {@link NodeTusClientRunner#assumeNodeAvailable()}, so they are
 * skipped, with a message, where {@code node} 18+ is missing. One {@link NodeTusClientRunner} is created per
 * concrete test class, on {@link #nodeWorkDir()} (by default the runner's {@linkplain
 * NodeTusClientRunner#defaultWorkDir() default}: the system property {@value NodeTusClientRunner#WORK_DIR_PROPERTY},
 * else the environment variable {@value NodeTusClientRunner#WORK_DIR_ENV}, else {@code target/tus-js-client} in
 * the module directory), and prepared once: {@code npm ci} runs at most once per class, and not at all when the
 * directory is already installed (a CI can pre-install it). A failed preparation is remembered and fails the
 * class's other Node tests at once, without another install.
 *
 * <p><b>Resources.</b> Each test's source files live in a JUnit {@link TempDir} that JUnit deletes. The runners
 * hold no connection or process between calls and need no closing: the Java runner closes its streams and
 * connections in each call; the Node runner kills a client process that outlives its time limit, with its
 * children, by its handle. The Node work directory is left in place for reuse. Uploads the tests create stay on
 * the server (completed, unfinished or terminated) for the subclass to clean up with its storage, if it wants.
 *
 * <p>Tests of one instance are not meant to run concurrently with each other; several classes may run in
 * parallel.
 */
public abstract class TusClientInteropKit extends ClientInteropSupport {

    // ------------------------------------------------------------------------------------- tus-java-client

    @Test
    @DisplayName("tus-java-client: interrupted after a third, resumed by a new client instance from the URL store")
    void javaClientWhenInterruptedThenANewClientInstanceResumesAndTheStoredBytesMatch() throws Exception {
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        Path file = write("java-resume.bin", data);
        String fileName = "report-" + token() + ".bin";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filename", fileName);
        metadata.put("filetype", FILE_TYPE);
        metadata.put("origin", "tus-java-client");
        bounded(() -> {
            JavaTusClientRunner runner = new JavaTusClientRunner(Map.of(), clientTimeout());
            JavaTusClientRunner.Result first = runner.upload(creationUrl(), file, metadata, chunk, data.length / 3);
            assertThat(first.finished()).as("the first client stopped part-way").isFalse();
            assertThat(first.startOffset()).isZero();
            assertThat(first.offset())
                    .as("offset reached by the first client (a chunk boundary past a third)")
                    .isGreaterThanOrEqualTo(data.length / 3)
                    .isLessThan(data.length)
                    .isEqualTo(2L * chunk);
            URI url = first.uploadUrl();
            AppendStatus between = status(url);
            assertThat(between.offset())
                    .as("server offset between the two clients")
                    .isEqualTo(first.offset());
            assertThat(between.session().fileSize()).hasValue(data.length);
            assertThat(storedBytes(url))
                    .as("stored bytes of the unfinished upload")
                    .isEmpty();

            JavaTusClientRunner.Result second = runner.resume(file, chunk);
            assertThat(second.uploadUrl())
                    .as("the new client resumed the same upload")
                    .isEqualTo(url);
            assertThat(second.startOffset())
                    .as("offset the server reported to the new client")
                    .isEqualTo(first.offset());
            assertThat(second.finished()).isTrue();
            assertThat(second.offset()).isEqualTo(data.length);
            assertStored(url, data);
            AppendStatus done = status(url);
            assertThat(done.isFinished()).isTrue();
            assertThat(done.session().fileName())
                    .as("fileName from filename metadata")
                    .contains(fileName);
            assertThat(done.session().mimeType())
                    .as("mimeType from filetype metadata")
                    .isEqualTo(FILE_TYPE);
            assertThat(done.session().metadata()).as("all metadata pairs").containsAllEntriesOf(metadata);
            return null;
        });
    }

    @Test
    @DisplayName("tus-java-client: a file of exactly 4 chunks (the client ends with an empty PATCH)")
    void javaClientWhenTheSizeIsAMultipleOfTheChunkSizeThenTheEmptyLastPatchIsAcceptedAndTheBytesMatch()
            throws Exception {
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk);
        String fileName = "exact-" + token() + ".bin";
        Path file = write(fileName, data);
        bounded(() -> {
            JavaTusClientRunner runner = new JavaTusClientRunner(Map.of(), clientTimeout());
            // null metadata: the library's default, filename = the file's name
            JavaTusClientRunner.Result result = runner.upload(creationUrl(), file, null, chunk);
            assertThat(result.finished()).isTrue();
            assertThat(result.offset()).isEqualTo(data.length);
            assertStored(result.uploadUrl(), data);
            AppendStatus done = status(result.uploadUrl());
            assertThat(done.offset()).isEqualTo(data.length);
            assertThat(done.session().fileName())
                    .as("fileName from the library's default filename metadata")
                    .contains(fileName);
            return null;
        });
    }

    // --------------------------------------------------------------------------------------- tus-js-client

    @Test
    @DisplayName("tus-js-client: interrupted after a third, resumed by a new process from the upload URL")
    void nodeClientWhenInterruptedThenANewProcessResumesFromTheUploadUrlAndTheStoredBytesMatch() throws Exception {
        NodeTusClientRunner node = node();
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        String fileName = "node-resume-" + token() + ".bin";
        Path file = write(fileName, data);
        bounded(() -> {
            NodeTusClientRunner.Result first = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions()
                            .stopAfterBytes(data.length / 3)
                            .metadata("filetype", FILE_TYPE)
                            .metadata("origin", "node"));
            assertThat(first.aborted()).as("the first process stopped part-way").isTrue();
            assertThat(first.offset())
                    .as("offset reached by the first process")
                    .isGreaterThanOrEqualTo(data.length / 3)
                    .isLessThan(data.length);
            URI url = first.uploadUrl();
            assertThat(url).isNotNull();
            assertThat(status(url).offset())
                    .as("server offset between the two processes")
                    .isEqualTo(first.offset());
            assertThat(storedBytes(url))
                    .as("stored bytes of the unfinished upload")
                    .isEmpty();

            NodeTusClientRunner.Result second = node.resume(url, file, nodeOptions());
            assertThat(second.done()).isTrue();
            assertThat(second.exchanges()).as("the new process's requests").isNotEmpty();
            Exchange head = second.exchanges().get(0);
            assertThat(head.method()).isEqualTo("HEAD");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.uploadOffset())
                    .as("offset the server reported to the new process")
                    .isEqualTo(first.offset());
            assertThat(second.exchanges()).extracting(Exchange::method).doesNotContain("POST");
            assertThat(second.acceptedBytes()).isEqualTo(data.length - first.offset());
            assertThat(second.offset()).isEqualTo(data.length);
            assertStored(url, data);
            UploadSession session = status(url).session();
            assertThat(session.fileName()).as("fileName from filename metadata").contains(fileName);
            assertThat(session.mimeType()).as("mimeType from filetype metadata").isEqualTo(FILE_TYPE);
            assertThat(session.metadata())
                    .containsEntry("filename", fileName)
                    .containsEntry("filetype", FILE_TYPE)
                    .containsEntry("origin", "node");
            return null;
        });
    }

    @Test
    @DisplayName("tus-js-client: uploadLengthDeferred, interrupted while the length is unknown, then resumed")
    void nodeClientWhenTheLengthIsDeferredThenTheLastPatchDeclaresItAndTheStoredBytesMatch() throws Exception {
        NodeTusClientRunner node = node();
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        Path file = write("node-deferred-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result first = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions().uploadLengthDeferred(true).stopAfterBytes(data.length / 3));
            assertThat(first.aborted()).isTrue();
            URI url = first.uploadUrl();
            AppendStatus between = status(url);
            assertThat(between.offset()).isEqualTo(first.offset());
            assertThat(between.session().fileSize().isPresent())
                    .as("the server does not know the deferred length yet")
                    .isFalse();

            NodeTusClientRunner.Result second =
                    node.resume(url, file, nodeOptions().uploadLengthDeferred(true));
            assertThat(second.done()).isTrue();
            assertThat(second.offset()).isEqualTo(data.length);
            assertStored(url, data);
            assertThat(status(url).session().fileSize().orElse(-1))
                    .as("the length declared by the last PATCH")
                    .isEqualTo(data.length);
            return null;
        });
    }

    @Test
    @DisplayName("tus-js-client: uploadDataDuringCreation (creation-with-upload)")
    void nodeClientWhenDataIsSentWithTheCreationThenTheFirstChunkCountsAndTheStoredBytesMatch() throws Exception {
        NodeTusClientRunner node = node();
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        Path file = write("node-with-upload-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result result =
                    node.upload(creationUrl(), file, nodeOptions().uploadDataDuringCreation(true));
            assertThat(result.done()).isTrue();
            Exchange creation = result.exchanges().get(0);
            assertThat(creation.method()).isEqualTo("POST");
            assertThat(creation.status()).isEqualTo(201);
            assertThat(creation.uploadOffset())
                    .as("Upload-Offset after the creation request with the first chunk")
                    .isEqualTo(chunk);
            assertThat(result.exchanges())
                    .extracting(Exchange::method)
                    .filteredOn("PATCH"::equals)
                    .hasSize(4);
            assertThat(result.offset()).isEqualTo(data.length);
            assertStored(result.uploadUrl(), data);
            return null;
        });
    }

    @Test
    @DisplayName("tus-js-client: parallelUploads 2 (two partial uploads, then the final concatenation)")
    void nodeClientWhenUploadingInTwoPartsThenTheFinalUploadHoldsTheWholeFile() throws Exception {
        NodeTusClientRunner node = node();
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        String fileName = "node-parallel-" + token() + ".bin";
        Path file = write(fileName, data);
        bounded(() -> {
            NodeTusClientRunner.Result result = node.upload(
                    creationUrl(), file, nodeOptions().parallelUploads(2).metadata("filetype", FILE_TYPE));
            assertThat(result.done()).isTrue();
            assertThat(result.acceptedBytes()).isEqualTo(data.length);
            List<Exchange> creations = result.exchanges().stream()
                    .filter(e -> e.method().equals("POST"))
                    .toList();
            assertThat(creations)
                    .as("two partial uploads and the final one")
                    .hasSize(3)
                    .allSatisfy(e -> assertThat(e.status()).isEqualTo(201));
            URI url = result.uploadUrl();
            assertThat(url)
                    .as("the final upload's URL")
                    .isNotNull()
                    .isEqualTo(creations.get(2).url().resolve(creations.get(2).location()));
            assertStored(url, data);
            AppendStatus done = status(url);
            assertThat(done.isFinished()).isTrue();
            assertThat(done.session().fileSize()).hasValue(data.length);
            assertThat(done.session().fileName())
                    .as("fileName of the final upload")
                    .contains(fileName);
            assertThat(done.session().mimeType()).isEqualTo(FILE_TYPE);
            return null;
        });
    }

    @Test
    @DisplayName("tus-js-client: abort with terminate, then HEAD answers 404 or 410")
    void nodeClientWhenAbortingWithTerminateThenTheUploadIsGone() throws Exception {
        NodeTusClientRunner node = node();
        int chunk = chunkSize();
        byte[] data = TestFiles.randomBytes(4 * chunk + TAIL);
        Path file = write("node-terminate-" + token() + ".bin", data);
        bounded(() -> {
            NodeTusClientRunner.Result result = node.upload(
                    creationUrl(),
                    file,
                    nodeOptions().stopAfterBytes(data.length / 3).terminateOnStop());
            assertThat(result.aborted()).isTrue();
            URI url = result.uploadUrl();
            assertThat(url).isNotNull();
            assertThat(result.exchanges())
                    .as("the client's DELETE")
                    .filteredOn(e -> e.method().equals("DELETE"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.url()).isEqualTo(url);
                        assertThat(e.status()).isEqualTo(204);
                    });
            HttpResponse<Void> head = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(20))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .header("Tus-Resumable", "1.0.0")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("HEAD of the terminated upload").isIn(404, 410);
            assertThat(storedBytes(url))
                    .as("stored bytes of the terminated upload")
                    .isEmpty();
            return null;
        });
    }
}
