/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import java.io.IOException;

/**
 * A tus client run that failed: the server answered with an unexpected status, the client reported an error, or
 * the client process did not finish in time. Immutable.
 */
public final class TusClientException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The value of {@link #statusCode()} when no HTTP status is known. */
    public static final int NO_STATUS = -1;

    /** The HTTP status, or {@link #NO_STATUS}. */
    private final int statusCode;

    /**
     * Creates the exception.
     *
     * @param message what failed, with the client's output where there is one
     * @param statusCode the HTTP status that made the client fail, or {@link #NO_STATUS}
     * @param cause the underlying exception, or {@code null}
     */
    public TusClientException(String message, int statusCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /**
     * Returns the HTTP status of the response that made the client fail.
     *
     * @return the status, or {@link #NO_STATUS} for a network error, a timeout or a client-side error
     */
    public int statusCode() {
        return statusCode;
    }
}
