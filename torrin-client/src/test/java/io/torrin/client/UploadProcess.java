/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The client in a process of its own, for the crash test: uploads one file with a durable resume store and prints
 * {@code STARTED <id> <resumed>}, {@code ACK <count>} per acknowledged chunk and {@code DONE <bytesSent> <sha256> <stored path>}.
 */
public final class UploadProcess {

    private UploadProcess() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        Path file = Path.of(args[1]);
        Path resume = Path.of(args[2]);
        try (TorrinClient client = TorrinClient.builder(endpoint)
                .parallelism(4)
                .requestTimeout(Duration.ofSeconds(10))
                .resumeStore(ResumeStore.inDirectory(resume))
                .build()) {
            UploadResult result = client.upload(
                            file,
                            UploadOptions.builder()
                                    .listener(new UploadListener() {
                                        @Override
                                        public void onStarted(UploadProgress progress, boolean resumed) {
                                            System.out.println("STARTED " + progress.uploadId() + " " + resumed);
                                        }

                                        @Override
                                        public void onChunkAcknowledged(int index, UploadProgress progress) {
                                            System.out.println("ACK " + progress.chunksAcknowledged());
                                        }
                                    })
                                    .build())
                    .result()
                    .join();
            System.out.println("DONE " + result.bytesSent() + " " + result.sha256() + " "
                    + result.location().map(location -> location.get("path")).orElse("?"));
        }
    }
}
