/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

/**
 * Limits a storage backend puts on chunks, which the service honours when it negotiates the chunk size: for
 * S3 every part but the last is at least 5 MiB, at most 5 GiB, and an upload has at most 10,000 parts.
 *
 * @param minChunkSize the smallest size allowed for every chunk but the last, at least 1
 * @param maxChunkSize the largest chunk size, at least {@code minChunkSize}
 * @param maxChunks the most chunks one upload may have, at least 1
 * @param maxFileSize the largest file the backend can hold, at least 1
 */
public record StorageConstraints(long minChunkSize, long maxChunkSize, int maxChunks, long maxFileSize) {

    /**
     * Validates the components.
     *
     * @param minChunkSize the smallest size allowed for every chunk but the last, at least 1
     * @param maxChunkSize the largest chunk size, at least {@code minChunkSize}
     * @param maxChunks the most chunks one upload may have, at least 1
     * @param maxFileSize the largest file the backend can hold, at least 1
     * @throws IllegalArgumentException if a limit is not positive or the chunk size range is empty
     */
    public StorageConstraints {
        if (minChunkSize < 1 || maxChunkSize < minChunkSize || maxChunks < 1 || maxFileSize < 1) {
            throw new IllegalArgumentException("invalid storage constraints: min " + minChunkSize + ", max "
                    + maxChunkSize + ", chunks " + maxChunks + ", file " + maxFileSize);
        }
    }

    /**
     * Returns constraints that limit nothing, for backends such as local disk.
     *
     * @return the unconstrained limits
     */
    public static StorageConstraints none() {
        return new StorageConstraints(1, Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
    }
}
