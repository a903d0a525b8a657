/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.http.DownloadOptions;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.DownloadConformanceSupport;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Downloads redirected to S3 ({@code DownloadOptions.directUrlValidity} with a presigner): a {@code GET} is
 * answered {@code 307} with a presigned URL, which the JDK {@link java.net.http.HttpClient} then fetches from
 * S3Mock, whole and ranged; what the application still answers itself (HEAD, conditionals, 416) stays there.
 */
@ExtendWith(S3Mock.class)
class S3PresignedDownloadTest extends DownloadConformanceSupport {

    private static S3Presigner presigner;
    private static S3TusServer server;

    @BeforeAll
    static void start() throws Exception {
        presigner = S3Mock.get().presigner();
        server = new S3TusServer(
                "presigned-downloads/",
                DownloadOptions.builder()
                        .directUrlValidity(Duration.ofMinutes(5))
                        .build(),
                Optional.of(presigner));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            server.close();
        } finally {
            presigner.close();
        }
    }

    @Override
    protected URI mountUrl() {
        return server.url("/torrin/uploads");
    }

    @Override
    protected boolean wholeFileHashSupported() {
        return false;
    }

    /** Asserts a 307 to S3 that must not be cached, and returns its Location. */
    private static URI redirect(HttpResponse<byte[]> answer) {
        assertThat(answer.statusCode()).as("%s", answer.headers().map()).isEqualTo(307); // RFC 9110 §15.4.8
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(answer.body()).isEmpty();
        URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(location.isAbsolute()).isTrue();
        assertThat(location.getPort()).isNotEqualTo(server.url("/").getPort());
        return location;
    }

    @Test
    @DisplayName("GET is 307 to a presigned URL that serves the same bytes, type and disposition as the application")
    void whole() throws Exception {
        Uploaded upload = shared();
        URI direct = redirect(fetch("GET", upload.url()));
        HttpResponse<byte[]> fromS3 = fetch("GET", direct);
        assertThat(fromS3.statusCode()).isEqualTo(200);
        assertThat(TestFiles.sha256(fromS3.body())).isEqualTo(TestFiles.sha256(upload.data()));
        HttpResponse<byte[]> head = fetch("HEAD", upload.url());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(fromS3.headers().firstValue("Content-Type"))
                .isEqualTo(head.headers().firstValue("Content-Type"));
        assertThat(fromS3.headers().firstValue("Content-Disposition"))
                .isEqualTo(head.headers().firstValue("Content-Disposition"));
    }

    @Test
    @DisplayName("a ranged GET is 307 too; the presigned URL fetched with the same Range gives the exact slice")
    void ranged() throws Exception {
        Uploaded upload = shared();
        long from = upload.data().length / 2 - 17;
        long to = upload.data().length - 100;
        String range = "bytes=" + from + "-" + (to - 1);
        URI direct = redirect(fetch("GET", upload.url(), "Range", range));
        HttpResponse<byte[]> part = fetch("GET", direct, "Range", range);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range"))
                .contains("bytes " + from + "-" + (to - 1) + "/" + upload.data().length);
        assertThat(TestFiles.sha256(part.body()))
                .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(upload.data(), (int) from, (int) to)));
    }

    @Test
    @DisplayName("HEAD, a matching If-None-Match (304) and an unsatisfiable range (416) are answered by the"
            + " application, not redirected")
    void answeredHere() throws Exception {
        Uploaded upload = shared();
        HttpResponse<byte[]> head = fetch("HEAD", upload.url());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(upload.data().length);
        String etag = head.headers().firstValue("ETag").orElseThrow();
        assertThat(fetch("GET", upload.url(), "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> beyond = fetch("GET", upload.url(), "Range", "bytes=" + upload.data().length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + upload.data().length);
    }
}
