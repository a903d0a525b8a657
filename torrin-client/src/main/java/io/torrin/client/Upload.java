/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running upload of one file, returned by {@link TorrinClient#upload(Path, UploadOptions)}. Thread-safe: any
 * thread may pause, resume, cancel or read progress at any time.
 */
public final class Upload {

    /** Where an upload is. */
    public enum State {
        /** Finding or creating the upload on the server, hashing the file. */
        PREPARING,
        /** Sending chunks. */
        RUNNING,
        /** Paused: no chunk is in flight until {@link Upload#resume()}. */
        PAUSED,
        /** Every chunk is acknowledged; the completion is being asked for. */
        COMPLETING,
        /** Completed on the server. */
        COMPLETED,
        /** Failed for good; see {@link Upload#result()}. */
        FAILED,
        /** Canceled, and aborted on the server. */
        CANCELED;

        /**
         * Tells whether nothing more happens in this state.
         *
         * @return whether the state is COMPLETED, FAILED or CANCELED
         */
        public boolean isFinal() {
            return this == COMPLETED || this == FAILED || this == CANCELED;
        }
    }

    private final UploadTask task;

    Upload(UploadTask task) {
        this.task = task;
    }

    /**
     * Returns the file being uploaded.
     *
     * @return the path as given
     */
    public Path file() {
        return task.file();
    }

    /**
     * Returns the server's upload id.
     *
     * @return the id, or empty until the server created (or the client found) the upload
     */
    public Optional<String> uploadId() {
        return task.uploadId();
    }

    /**
     * Returns the current state.
     *
     * @return the state
     */
    public State state() {
        return task.state();
    }

    /**
     * Returns a snapshot of the progress.
     *
     * @return the progress
     */
    public UploadProgress progress() {
        return task.progress();
    }

    /**
     * Stops sending: chunks in flight finish (a chunk waiting to be retried is put back), no new one starts; the
     * state becomes {@link State#PAUSED} when the last in-flight chunk has finished
     * ({@link UploadListener#onPaused}). Nothing happens when the upload is already finishing or over.
     */
    public void pause() {
        task.pause();
    }

    /** Continues a paused upload with the chunks it still lacks; nothing happens unless it is paused or pausing. */
    public void resume() {
        task.resume();
    }

    /**
     * Cancels the upload: requests in flight are ended, the upload is aborted on the server and forgotten by the
     * resume store, and {@link #result()} completes with a {@link java.util.concurrent.CancellationException}.
     * Nothing happens when the upload is already over.
     */
    public void cancel() {
        task.cancel();
    }

    /**
     * Returns the result, which completes when the upload completed on the server, or exceptionally with
     * {@link io.torrin.core.TorrinException} (an error the server answered that no retry cures, with its
     * {@link io.torrin.core.ErrorCode}), {@link TorrinTransportException} (the server could not be reached within
     * the retry policy), {@link java.io.IOException} (the file could not be read), {@link IllegalArgumentException}
     * (an empty file or a directory), {@link IllegalStateException} (the file changed during the upload) or
     * {@link java.util.concurrent.CancellationException} (canceled). Canceling this future does not cancel the
     * upload; call {@link #cancel()}.
     *
     * @return the result's future
     */
    public CompletableFuture<UploadResult> result() {
        return task.result().copy();
    }
}
