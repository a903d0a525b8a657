/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

/**
 * A held lock. Closing it releases it; closing it again does nothing. It may be closed from any thread, not
 * only the one that acquired it.
 */
public interface UploadLock extends AutoCloseable {

    /** Releases the lock. Idempotent; never throws. */
    @Override
    void close();
}
