/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.time.Duration;

/**
 * Callbacks about one upload. Every method has an empty default; implement what you need.
 *
 * <p>Threading: callbacks run on the client's worker threads, never two at once for the same upload, in the order
 * the events happened. They must return quickly (hand long work to another thread); an exception a callback
 * throws is logged and ignored and does not affect the upload.
 */
public interface UploadListener {

    /**
     * The server created the upload, or the client found it to resume; chunks are about to be sent.
     *
     * @param progress the progress so far (chunks acknowledged in earlier runs included)
     * @param resumed whether an earlier run's upload is continued
     */
    default void onStarted(UploadProgress progress, boolean resumed) {}

    /**
     * The server acknowledged a chunk.
     *
     * @param index the chunk's index
     * @param progress the progress after it
     */
    default void onChunkAcknowledged(int index, UploadProgress progress) {}

    /**
     * A request failed in a way a retry can cure and is sent again after a delay.
     *
     * @param what the request, for example {@code "chunk 7"} or {@code "complete"}
     * @param failedAttempts the attempts that failed so far
     * @param cause why the last attempt failed
     * @param delay the wait before the next attempt
     */
    default void onRetry(String what, int failedAttempts, Throwable cause, Duration delay) {}

    /**
     * The upload stopped sending after {@link Upload#pause()}: the chunks that were in flight have finished.
     *
     * @param progress the progress at the pause
     */
    default void onPaused(UploadProgress progress) {}

    /**
     * The upload completed on the server.
     *
     * @param result the result
     */
    default void onCompleted(UploadResult result) {}

    /**
     * The upload failed, or was canceled ({@link java.util.concurrent.CancellationException}).
     *
     * @param cause why
     */
    default void onFailed(Throwable cause) {}
}
