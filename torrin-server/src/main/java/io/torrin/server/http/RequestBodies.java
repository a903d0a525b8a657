/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * What happens to the unread body of a refused request. A server that answers early and then closes the connection
 * while the client is still sending makes most clients lose the answer, so a small remainder is read and discarded.
 * A large one is not waited for: when the declared remainder is above the bound, when the client asked for
 * {@code 100 Continue} and nothing has been read (reading would invite it to send), or when the body does not end
 * within the bound, the answer goes out at once with {@code Connection: close}.
 */
public final class RequestBodies {

    /** The default bound of bytes discarded after an error response. */
    public static final long DEFAULT_MAX_DRAIN_BYTES = 16L * 1024 * 1024;

    private RequestBodies() {}

    /**
     * Discards what is left of a refused request's body, at most {@code maxBytes}, or sets {@code Connection: close}
     * instead when waiting for the rest would be pointless or slow.
     *
     * @param request the request
     * @param consumed how many body bytes the handler has read already
     * @param maxBytes the most bytes to discard
     * @param response the response being built
     */
    public static void discardRemainder(
            HttpRequest request, long consumed, long maxBytes, HttpResponse.Builder response) {
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        Optional<Long> declared = declaredLength(request);
        if (declared.isPresent() && declared.get() - consumed <= 0) {
            return;
        }
        boolean expectsContinue = request.header("Expect")
                .map(value -> value.trim().equalsIgnoreCase("100-continue"))
                .orElse(false);
        if ((expectsContinue && consumed == 0) || (declared.isPresent() && declared.get() - consumed > maxBytes)) {
            response.header("Connection", "close");
            return;
        }
        try {
            InputStream body = request.body();
            byte[] buffer = new byte[16 * 1024];
            long discarded = 0;
            int n;
            while (discarded <= maxBytes && (n = body.read(buffer)) >= 0) {
                discarded += n;
            }
            if (discarded > maxBytes) {
                response.header("Connection", "close");
            }
        } catch (IOException | RuntimeException e) {
            response.header("Connection", "close");
        }
    }

    /**
     * Sets {@code Connection: close} on a successful answer given before the declared body was read to its end (an
     * append ended by a re-send, the watchdog or a shutdown): the rest of that body is not worth waiting for, and a
     * container must not keep the request open, draining it, to reuse the connection.
     *
     * @param request the request
     * @param consumed how many body bytes the handler has read
     * @param response the response being built
     */
    public static void closeIfUnread(HttpRequest request, long consumed, HttpResponse.Builder response) {
        Optional<Long> declared = declaredLength(request);
        if (declared.isPresent() && declared.get() > consumed) {
            response.header("Connection", "close");
        }
    }

    /**
     * Returns the declared body length, if the request has exactly one well-formed {@code Content-Length}.
     *
     * @param request the request
     * @return the length, or empty if undeclared or malformed
     */
    static Optional<Long> declaredLength(HttpRequest request) {
        List<String> values = request.headers("Content-Length");
        if (values.size() != 1 || !values.get(0).trim().matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(values.get(0).trim()));
    }
}
