/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ReadableStorage} knows about a completed file, for serving it: its length, when it last changed and
 * a version that changes whenever its bytes could have (an S3 object's ETag; a local file's size, modification time
 * and file key). Downloads derive their {@code ETag} and {@code Last-Modified} from it, so both stay the same across
 * restarts and change if the application rewrites the file.
 *
 * @param length the file's length in bytes, at least 0
 * @param lastModified when the file was last written, not null
 * @param version an opaque token for this state of the file, not null
 */
public record StoredFile(long length, Instant lastModified, String version) {

    /**
     * Validates the components.
     *
     * @param length the file's length in bytes, at least 0
     * @param lastModified when the file was last written, not null
     * @param version an opaque token for this state of the file, not null
     * @throws IllegalArgumentException if the length is negative
     * @throws NullPointerException if a reference component is null
     */
    public StoredFile {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative");
        }
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(version, "version");
    }
}
