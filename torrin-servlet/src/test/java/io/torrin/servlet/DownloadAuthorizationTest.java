/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.server.http.DownloadOptions;
import io.torrin.testkit.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's {@link UploadHooks#beforeDownload} over real HTTP (Jetty, local disk): a hook that lets only
 * an upload's owner read it, asked on both download routes, whole and ranged; refused reads send no byte of the
 * file, the owner's read is compared by SHA-256.
 */
class DownloadAuthorizationTest {

    @TempDir
    static Path directory;

    private static JettyServer jetty;
    private final HttpClient client = HttpClient.newHttpClient();

    /** Only the user named in the upload's {@code owner} metadata may read it; the user comes in {@code X-User}. */
    private static final class OwnerOnly implements UploadHooks {
        @Override
        public void beforeDownload(UploadSession session, RequestContext context) {
            String user = context.header("X-User").orElse("");
            if (user.isEmpty()) {
                throw new TorrinException(ErrorCode.UNAUTHORIZED, "sign in first");
            }
            if (!user.equals(session.metadata().get("owner"))) {
                throw new TorrinException(ErrorCode.FORBIDDEN, "not yours");
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(
                directory,
                "/app",
                Optional.of(DownloadOptions.defaults()),
                List.of(new OwnerOnly()),
                JettyServer::mountTusAndTorrin);
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Test
    void downloadWhenTheHookRefusesThen401Or403WithoutTheBytesAndTheOwnerReadsThemWholeAndRanged() throws Exception {
        byte[] data = TestFiles.randomBytes(300_000);
        HttpResponse<Void> created = client.send(
                HttpRequest.newBuilder(jetty.url("/app/files"))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", Integer.toString(data.length))
                        .header("Upload-Metadata", "owner " + base64("alice"))
                        .header("Content-Type", "application/offset+octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(created.statusCode()).isEqualTo(201);
        URI tusUrl = jetty.url("/app/files")
                .resolve(created.headers().firstValue("Location").orElseThrow());
        String id = tusUrl.getPath().substring(tusUrl.getPath().lastIndexOf('/') + 1);
        for (URI url : List.of(tusUrl, jetty.url("/app/torrin/uploads/" + id + "/content"))) {
            HttpResponse<byte[]> anonymous = get(url, null, null);
            assertThat(anonymous.statusCode()).as("no user, %s", url).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Range")).isEmpty();
            HttpResponse<byte[]> other = get(url, "bob", "bytes=0-99");
            assertThat(other.statusCode()).as("another user, %s", url).isEqualTo(403);
            assertThat(new String(other.body(), StandardCharsets.ISO_8859_1))
                    .as("a refusal carries none of the file")
                    .doesNotContain(new String(Arrays.copyOf(data, 16), StandardCharsets.ISO_8859_1));
            HttpResponse<byte[]> whole = get(url, "alice", null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(TestFiles.sha256(whole.body())).isEqualTo(TestFiles.sha256(data));
            HttpResponse<byte[]> ranged = get(url, "alice", "bytes=1000-200999");
            assertThat(ranged.statusCode()).isEqualTo(206);
            assertThat(TestFiles.sha256(ranged.body()))
                    .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, 1000, 201_000)));
        }
    }

    private HttpResponse<byte[]> get(URI url, String user, String range) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET();
        if (user != null) {
            request.header("X-User", user);
        }
        if (range != null) {
            request.header("Range", range);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
