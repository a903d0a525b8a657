/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.direct;

import io.torrin.core.CompleteResult;
import io.torrin.server.FileUploader;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads a generated file through the direct Java API: {@link FileUploader} sends its chunks from 4 threads, each
 * with its SHA-256 that the service verifies while storing, then completes the upload.
 *
 * <p>Usage: {@code java -jar direct-api-demo.jar [size-in-MiB] [upload-directory]} (defaults: 64 MiB,
 * {@code ./uploads}).
 */
public final class DirectApiDemo {

    private static final int THREADS = 4;

    private DirectApiDemo() {}

    /**
     * Runs the demo.
     *
     * @param args optional size in MiB and upload directory
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 64;
        Path directory = Path.of(args.length > 1 ? args[1] : "./uploads");
        run(directory, sizeMiB * 1024 * 1024, System.out);
    }

    /**
     * Generates a file of random bytes, uploads it and returns where it was stored.
     *
     * @param directory the upload directory (the store lives in {@code <directory>/.torrin})
     * @param fileSize the size of the generated file
     * @param out where to print progress
     * @return the stored file
     * @throws Exception if anything fails
     */
    public static Path run(Path directory, long fileSize, PrintStream out) throws Exception {
        Path source = Files.createTempFile("torrin-demo-", ".bin");
        try {
            String sourceSha256 = generate(source, fileSize);
            out.printf("Generated %s (%,d bytes), SHA-256 %s%n", source, fileSize, sourceSha256);

            LocalStorageDriver storage = LocalStorageDriver.create(directory);
            try (FileUploadStore store = FileUploadStore.create(directory.resolve(".torrin"));
                    UploadService service = UploadService.builder()
                            .storage(storage)
                            .store(store)
                            .build()) {
                long start = System.nanoTime();
                AtomicLong sent = new AtomicLong();
                AtomicInteger lastDecile = new AtomicInteger();
                CompleteResult result = FileUploader.create(service)
                        .threads(THREADS)
                        .upload(
                                source,
                                request -> request.fileName("demo.bin")
                                        .mimeType("application/octet-stream")
                                        .putMetadata("origin", "direct-api-demo"),
                                bytes -> {
                                    int decile = (int) (10 * sent.addAndGet(bytes) / fileSize);
                                    if (lastDecile.getAndAccumulate(decile, Math::max) < decile) {
                                        out.printf("  %3d%%%n", decile * 10);
                                    }
                                });
                double seconds = (System.nanoTime() - start) / 1e9;
                Path stored = storage.resolve(result.location());
                out.printf(
                        "Upload %s: %d chunks of %,d bytes, each verified by SHA-256 while streaming%n",
                        result.uploadId(),
                        result.session().totalChunks(),
                        result.session().chunkSize());
                out.printf("Completed in %.2f s (%.1f MiB/s): %s%n", seconds, fileSize / 1048576.0 / seconds, stored);
                return stored;
            }
        } finally {
            Files.deleteIfExists(source);
        }
    }

    private static String generate(Path target, long size) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom();
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            for (long written = 0; written < size; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        block[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
