/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of one upload's progress.
 *
 * @param uploadId the server's upload id, or null before the server created (or the client found) it
 * @param fileSize the file's size in bytes
 * @param bytesAcknowledged bytes of the chunks the server has acknowledged, those of earlier runs included
 * @param totalChunks the number of chunks, 0 before the server chose the chunk size
 * @param chunksAcknowledged chunks the server has acknowledged, those of earlier runs included
 * @param bytesSent bytes this run put on the wire for chunk bodies, retries and abandoned attempts included
 * @param bytesPerSecond acknowledged bytes of this run per second since it started sending, 0 at first
 * @param eta the estimated time to the last acknowledgement at that rate, or null while unknown
 */
public record UploadProgress(
        String uploadId,
        long fileSize,
        long bytesAcknowledged,
        int totalChunks,
        int chunksAcknowledged,
        long bytesSent,
        double bytesPerSecond,
        Duration eta) {

    /**
     * Returns the estimated time left.
     *
     * @return the estimate, or empty while no rate is known
     */
    public Optional<Duration> remaining() {
        return Optional.ofNullable(eta);
    }

    /**
     * Returns the acknowledged fraction.
     *
     * @return from 0 to 1
     */
    public double fraction() {
        return fileSize == 0 ? 1 : (double) bytesAcknowledged / fileSize;
    }
}
