/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PATCH stuck on a connection that stays open but sends nothing (a half-open connection after a network change)
 * must not block the client's resume: the next request for the upload ends it, keeps what it received and answers
 * at once, long before the container's idle timeout (30 s) or the lock timeout (5 s).
 */
class TusStalledRequestTest {

    @TempDir
    Path directory;

    private JettyServer jetty;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyServer(
                directory,
                "/",
                server ->
                        server.context.addServlet(new ServletHolder(new TorrinServlet(server.tusHandler)), "/files/*"));
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(
                request.header("Tus-Resumable", "1.0.0")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stalledPatchWhenTheClientSendsHeadThenItEndsAtOnceKeepingItsBytes() throws Exception {
        byte[] file = TestFiles.randomBytes(1024 * 1024);
        int sent = 300 * 1024;
        URI upload = URI.create(send(HttpRequest.newBuilder(jetty.url("/files"))
                        .header("Upload-Length", Integer.toString(file.length))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .headers()
                .firstValue("Location")
                .orElseThrow());
        String id = upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1);
        Path staging = directory.resolve(".torrin-staging").resolve(id + ".part");
        try (Socket stalled = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = stalled.getOutputStream();
            out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + "\r\n"
                            + "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                            + "Content-Length: " + file.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, sent);
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.size(staging) < sent && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            assertThat(Files.size(staging))
                    .as("bytes the server wrote before the stall")
                    .isEqualTo(sent);

            long started = System.nanoTime();
            HttpResponse<String> head =
                    send(HttpRequest.newBuilder(upload).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Upload-Offset")).contains(Integer.toString(sent));
            assertThat(took)
                    .as("HEAD answered while the stalled PATCH's connection is still open")
                    .isLessThan(Duration.ofSeconds(4));

            HttpResponse<String> resumed = send(HttpRequest.newBuilder(upload)
                    .header("Upload-Offset", Integer.toString(sent))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method(
                            "PATCH",
                            HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(file, sent, file.length))));
            assertThat(resumed.statusCode()).isEqualTo(204);
            assertThat(resumed.headers().firstValue("Upload-Offset")).contains(Integer.toString(file.length));
        }
        assertThat(TestFiles.sha256(jetty.storedTusBytes(upload).orElseThrow())).isEqualTo(TestFiles.sha256(file));
    }
}
