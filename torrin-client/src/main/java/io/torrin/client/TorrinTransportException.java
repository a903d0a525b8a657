/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

/**
 * A request could not reach the server or get its answer (connection refused or broken, timeout, an answer that is
 * not the Torrin protocol), on every attempt the retry policy allowed. Errors the server answered are
 * {@link io.torrin.core.TorrinException}s with the server's {@link io.torrin.core.ErrorCode}.
 */
public class TorrinTransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the last attempt's failure, or null
     */
    public TorrinTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
