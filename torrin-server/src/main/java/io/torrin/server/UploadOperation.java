/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import java.util.Locale;

/** The operations of an {@link UploadService} that {@link UploadInstrumentation} measures, one per request. */
public enum UploadOperation {
    /** Creating an upload (either model). */
    INIT,
    /** Storing one chunk of a chunked upload. */
    CHUNK,
    /** Appending bytes to an append upload (a tus {@code PATCH}). */
    APPEND,
    /** Reporting an upload's state. */
    STATUS,
    /** Completing a chunked upload. */
    COMPLETE,
    /** Aborting or terminating an upload. */
    ABORT,
    /** Creating an upload from finished parts (tus concatenation). */
    CONCATENATE,
    /** Opening a completed upload for a download. */
    DOWNLOAD;

    /**
     * The name used as a metric tag and in observation names: the constant in lower case.
     *
     * @return the tag value, for example {@code chunk}
     */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
