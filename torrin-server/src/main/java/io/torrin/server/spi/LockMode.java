/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

/** How an {@link UploadLock} is held. */
public enum LockMode {
    /** Held by any number of holders at once, never together with {@link #EXCLUSIVE}. */
    SHARED,
    /** Held by one holder alone. */
    EXCLUSIVE
}
