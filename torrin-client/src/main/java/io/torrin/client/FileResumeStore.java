/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ResumeStore#inDirectory(Path)}: one file per key, named by the SHA-256 of the key's text and holding the
 * upload id and the key, written to a temporary file, forced and moved into place atomically.
 */
final class FileResumeStore implements ResumeStore {

    private final Path directory;

    FileResumeStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public Optional<String> find(ResumeKey key) throws IOException {
        try {
            List<String> lines = Files.readAllLines(file(key), StandardCharsets.UTF_8);
            if (lines.size() >= 2
                    && lines.get(1).equals(key.text())
                    && !lines.get(0).isBlank()) {
                return Optional.of(lines.get(0).trim());
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save(ResumeKey key, String uploadId) throws IOException {
        Objects.requireNonNull(uploadId, "uploadId");
        Files.createDirectories(directory);
        Path target = file(key);
        Path temporary = directory.resolve(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        byte[] content = (uploadId + "\n" + key.text() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        forceDirectory();
    }

    @Override
    public void remove(ResumeKey key) throws IOException {
        if (Files.deleteIfExists(file(key))) {
            forceDirectory();
        }
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the rename is as durable as they allow
        }
    }

    private Path file(ResumeKey key) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(key.text().getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest) + ".upload");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
