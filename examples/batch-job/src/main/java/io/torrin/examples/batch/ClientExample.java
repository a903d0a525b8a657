/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.Upload;
import io.torrin.client.UploadListener;
import io.torrin.client.UploadOptions;
import io.torrin.client.UploadProgress;
import io.torrin.client.UploadResult;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The code {@code docs/client.md} shows, compiled and run by the example's tests against a real server. */
public final class ClientExample {

    private ClientExample() {}

    /**
     * Uploads one file with progress output.
     *
     * @param endpoint the server's mount URL
     * @param file the file
     * @param token a bearer token for the server
     * @return the result
     */
    public static UploadResult uploadOne(URI endpoint, Path file, String token) {
        // snippet:client-upload
        try (TorrinClient client = TorrinClient.builder(endpoint) // e.g. http://localhost:8080/torrin/uploads
                .parallelism(4) // chunks in flight per file
                .requestTimeout(Duration.ofSeconds(60)) // a stalled chunk is sent again after this
                .headers(() -> Map.of("Authorization", "Bearer " + token))
                .resumeStore(ResumeStore.defaultStore()) // ~/.torrin/resume: resumes after a crash
                .build()) {
            Upload upload = client.upload(
                    file,
                    UploadOptions.builder()
                            .mimeType("application/octet-stream")
                            .metadata("project", "apollo")
                            .listener(new UploadListener() {
                                @Override
                                public void onChunkAcknowledged(int index, UploadProgress progress) {
                                    System.out.printf(
                                            Locale.ROOT,
                                            "%5.1f%% %8.1f MiB/s%n",
                                            progress.fraction() * 100,
                                            progress.bytesPerSecond() / 1048576);
                                }
                            })
                            .build());
            UploadResult result = upload.result().join(); // or pause(), resume(), cancel()
            System.out.println(
                    result.uploadId() + " stored at " + result.location().orElseThrow());
            return result;
        }
        // end:client-upload
    }
}
