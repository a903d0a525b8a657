/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What identifies an upload worth resuming: the same file (absolute path, size, modification time) to the same
 * server endpoint. A file that changed gets a new key and so a new upload.
 *
 * @param endpoint the server's mount URL, not null
 * @param file the file's absolute, normalized path, not null
 * @param size the file's size in bytes
 * @param lastModifiedMillis the file's modification time, in milliseconds since the epoch
 */
public record ResumeKey(URI endpoint, Path file, long size, long lastModifiedMillis) {

    /**
     * Validates the components.
     *
     * @param endpoint the server's mount URL, not null
     * @param file the file's absolute, normalized path, not null
     * @param size the file's size in bytes
     * @param lastModifiedMillis the file's modification time, in milliseconds since the epoch
     * @throws NullPointerException if the endpoint or the file is null
     */
    public ResumeKey {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(file, "file");
    }

    /**
     * One line that names the key exactly (used by stores as their lookup text).
     *
     * @return endpoint, path, size and time separated by tabs
     */
    public String text() {
        return endpoint + "\t" + file + "\t" + size + "\t" + lastModifiedMillis;
    }
}
