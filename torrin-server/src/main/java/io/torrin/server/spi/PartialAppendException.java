/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.IOException;

/**
 * Thrown by {@link AppendableStorage#append} when the backend failed after part of the append was already stored
 * durably (for example S3 parts that were uploaded before a later part failed): the service records those bytes,
 * so the client does not send them again, and answers with a retryable storage error.
 */
public class PartialAppendException extends IOException {

    private static final long serialVersionUID = 1L;

    /** How many bytes of the body were stored before the failure. */
    private final long stored;

    /**
     * Creates the exception.
     *
     * @param stored how many bytes from the append's offset are durably stored, at least 0
     * @param cause the backend failure, not null
     */
    public PartialAppendException(long stored, IOException cause) {
        super("the storage failed after " + stored + " bytes of the append were stored: " + cause.getMessage(), cause);
        if (stored < 0) {
            throw new IllegalArgumentException("stored must not be negative");
        }
        this.stored = stored;
    }

    /**
     * Returns how many bytes from the append's offset are durably stored.
     *
     * @return the count
     */
    public long stored() {
        return stored;
    }
}
