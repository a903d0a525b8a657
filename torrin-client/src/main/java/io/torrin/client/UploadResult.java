/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A completed upload, as the server described it.
 *
 * @param uploadId the server's upload id, not null
 * @param fileName the stored file name the server reports, or null
 * @param fileSize the file's size in bytes
 * @param sha256 the SHA-256 of the file in lowercase hex, which the server verified at completion; not null
 * @param location where the server stored the file (its {@code location} object, for example
 *     {@code {type=local, path=...}}), or empty when the server's answer to the completion was lost and a retry
 *     found the upload already completed; never null
 * @param metadata the metadata the server returned, values as JSON scalars (strings, numbers, booleans); never null
 * @param resumed whether this run continued an upload an earlier run had started
 * @param bytesSent bytes this run sent for chunk bodies, retries included
 */
public record UploadResult(
        String uploadId,
        String fileName,
        long fileSize,
        String sha256,
        Optional<Map<String, Object>> location,
        Map<String, Object> metadata,
        boolean resumed,
        long bytesSent) {

    /**
     * Validates and copies the components.
     *
     * @param uploadId the server's upload id, not null
     * @param fileName the stored file name the server reports, or null
     * @param fileSize the file's size in bytes
     * @param sha256 the SHA-256 of the file in lowercase hex; not null
     * @param location where the server stored the file, or empty; not null
     * @param metadata the metadata the server returned; not null
     * @param resumed whether this run continued an earlier run's upload
     * @param bytesSent bytes this run sent for chunk bodies
     * @throws NullPointerException if a component that must not be null is
     */
    public UploadResult {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(sha256, "sha256");
        location = location.map(Map::copyOf);
        metadata = Map.copyOf(metadata);
    }
}
