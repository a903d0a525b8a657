/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.ChunkSet;
import java.util.Objects;

/**
 * How far an upload has come, in the form its model records: a set of received chunks for chunked uploads (the
 * Torrin protocol), one offset for append uploads (tus and other offset-based protocols). Immutable.
 */
public sealed interface UploadProgress permits UploadProgress.Chunks, UploadProgress.Offset {

    /**
     * The progress of a chunked upload: which chunks are durably stored, in any order.
     *
     * @param received the received chunks, not null
     */
    record Chunks(ChunkSet received) implements UploadProgress {

        /**
         * Validates the component.
         *
         * @param received the received chunks, not null
         * @throws NullPointerException if {@code received} is null
         */
        public Chunks {
            Objects.requireNonNull(received, "received");
        }
    }

    /**
     * The progress of an append upload: every byte below {@code bytes} is durably stored, in order.
     *
     * @param bytes the offset, at least 0
     */
    record Offset(long bytes) implements UploadProgress {

        /**
         * Validates the component.
         *
         * @param bytes the offset, at least 0
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Offset {
            if (bytes < 0) {
                throw new IllegalArgumentException("offset must not be negative: " + bytes);
            }
        }
    }
}
