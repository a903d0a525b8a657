/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.spi.StorageConstraints;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Chunk size negotiation: the client's wish, clamped to the service's limits and to the storage's constraints,
 * then raised if needed so that the file fits the chunk-count limit.
 *
 * @param defaultSize the size used when the client has no wish
 * @param minSize the smallest chunk size (every chunk but the last)
 * @param maxSize the largest chunk size
 * @param maxChunks the most chunks per upload
 * @param maxFileSize the largest file
 */
public record ChunkSizing(long defaultSize, long minSize, long maxSize, int maxChunks, long maxFileSize) {

    /**
     * Combines the service's limits with a storage's constraints.
     *
     * @param defaultSize the service's default chunk size
     * @param minSize the service's minimum chunk size
     * @param maxSize the service's maximum chunk size
     * @param maxChunks the service's maximum chunk count
     * @param maxFileSize the service's maximum file size
     * @param storage the storage's constraints
     * @return the effective limits
     * @throws IllegalArgumentException if the service's and the storage's chunk size ranges do not overlap
     */
    public static ChunkSizing combine(
            long defaultSize, long minSize, long maxSize, int maxChunks, long maxFileSize, StorageConstraints storage) {
        long min = Math.max(minSize, storage.minChunkSize());
        long max = Math.min(maxSize, storage.maxChunkSize());
        if (min > max) {
            throw new IllegalArgumentException("the chunk size range [" + minSize + ", " + maxSize
                    + "] does not overlap the storage's [" + storage.minChunkSize() + ", "
                    + storage.maxChunkSize() + "]");
        }
        int chunks = Math.min(maxChunks, storage.maxChunks());
        long largestByChunks = max > Long.MAX_VALUE / chunks ? Long.MAX_VALUE : max * chunks;
        long file = Math.min(Math.min(maxFileSize, storage.maxFileSize()), largestByChunks);
        return new ChunkSizing(Math.max(min, Math.min(max, defaultSize)), min, max, chunks, file);
    }

    /**
     * Chooses the chunk size for a file.
     *
     * @param fileSize the file size, at least 1
     * @param wish the client's wish, if any (must be positive)
     * @return the chunk size
     * @throws TorrinException with {@code FILE_TOO_LARGE} if the file is larger than the limits allow,
     *     {@code INVALID_REQUEST} if the wish is not positive
     */
    public long negotiate(long fileSize, OptionalLong wish) {
        if (fileSize > maxFileSize) {
            throw new TorrinException(
                    ErrorCode.FILE_TOO_LARGE,
                    "fileSize " + fileSize + " is above the maximum " + maxFileSize,
                    Map.of("maxFileSize", maxFileSize, "fileSize", fileSize));
        }
        if (wish.isPresent() && wish.getAsLong() < 1) {
            throw Errors.invalid("desiredChunkSize must be a positive integer", Map.of());
        }
        long size = Math.max(minSize, Math.min(maxSize, wish.orElse(defaultSize)));
        long needed = (fileSize + maxChunks - 1) / maxChunks;
        return Math.max(size, needed);
    }
}
