/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package com.example.batch;

import io.torrin.core.CompleteResult;
import io.torrin.server.FileUploader;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes a file of random bytes, uploads it through the Java API in parallel chunks, and checks that the stored
 * file has the source's SHA-256. Exits with status 1 if it does not.
 *
 * <p>Usage: {@code java -cp ... com.example.batch.UploadOneFile <work-directory> <size-in-bytes>}.
 */
public final class UploadOneFile {

    private UploadOneFile() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        long size = Long.parseLong(args[1]);
        Path source = work.resolve("source.bin");
        SplittableRandom random = new SplittableRandom();
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(source)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        LocalStorageDriver storage = LocalStorageDriver.create(work.resolve("files"));
        try (FileUploadStore store = FileUploadStore.create(work.resolve("sessions"));
                UploadService service =
                        UploadService.builder().storage(storage).store(store).build()) {
            CompleteResult result =
                    FileUploader.create(service).threads(4).upload(source, request -> request.fileName("source.bin"), bytes -> {});
            String expected = sha256(source);
            String stored = sha256(storage.resolve(result.location()));
            System.out.printf("uploaded %,d bytes as %s: source %s, stored %s%n", size, result.uploadId(), expected,
                    stored);
            if (!expected.equals(stored)) {
                System.err.println("SHA-256 mismatch");
                System.exit(1);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
