/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.memory;

import io.torrin.benchmarks.tus.HttpConnection;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The memory scenario's view of an {@link HttpConnection} to a loopback port: whole requests answered as
 * {@link Response} values, and requests whose body the harness sends in pieces over time (a body can be left
 * half-sent for as long as it likes). Not thread-safe.
 */
final class RawHttp implements Closeable {

    /**
     * A response.
     *
     * @param status the status code
     * @param headers the header fields, names in lower case (the last value of a repeated name)
     * @param body the body as ISO-8859-1 text
     */
    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpConnection http;

    /**
     * Creates a client for a loopback port; it connects on the first request.
     *
     * @param port the server's port
     */
    RawHttp(int port) {
        this.http = new HttpConnection(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /**
     * Sends a request with a small in-memory body and reads the response.
     *
     * @param method the method
     * @param target the request target (path and query)
     * @param headers extra header lines, each ending in CRLF, without {@code Host} and {@code Content-Length}
     * @param body the body, possibly empty
     * @return the response
     * @throws IOException if the exchange fails
     */
    Response request(String method, String target, String headers, byte[] body) throws IOException {
        http.exchange(method, target, headers + "Content-Length: " + body.length + "\r\n", ByteBuffer.wrap(body));
        return response();
    }

    /**
     * Sends a request with a body of {@code length} bytes taken from {@code block} over and over, then reads the
     * response.
     *
     * @param method the method
     * @param target the request target
     * @param headers extra header lines, each ending in CRLF, without {@code Host} and {@code Content-Length}
     * @param block the bytes to repeat (its position and limit are left alone)
     * @param length the body's length
     * @return the response
     * @throws IOException if the exchange fails
     */
    Response streamingRequest(String method, String target, String headers, ByteBuffer block, long length)
            throws IOException {
        sendHead(method, target, headers + "Content-Length: " + length + "\r\n");
        long left = length;
        while (left > 0) {
            ByteBuffer slice = block.duplicate();
            slice.limit(slice.position() + (int) Math.min(slice.remaining(), left));
            left -= slice.remaining();
            send(slice);
        }
        return readResponse(false);
    }

    /**
     * Sends a request head only; the caller sends the body (or part of it) with {@link #send(ByteBuffer)}.
     *
     * @param method the method
     * @param target the request target
     * @param headers header lines, each ending in CRLF, without {@code Host}
     * @throws IOException if writing fails
     */
    void sendHead(String method, String target, String headers) throws IOException {
        http.sendHead(method, target, headers);
    }

    /**
     * Writes bytes on the connection (blocking until all are written).
     *
     * @param bytes the bytes; their position is consumed
     * @throws IOException if writing fails
     */
    void send(ByteBuffer bytes) throws IOException {
        http.send(bytes);
    }

    /**
     * Reads one response.
     *
     * @param headRequest whether it answers a {@code HEAD} (no body then)
     * @return the response
     * @throws IOException if reading fails or the response is not understood
     */
    Response readResponse(boolean headRequest) throws IOException {
        http.readAnswer(headRequest);
        return response();
    }

    private Response response() {
        return new Response(
                http.status(),
                http.headers(),
                new String(http.body(), 0, http.bodyLength(), StandardCharsets.ISO_8859_1));
    }

    /** Closes the connection, if open. */
    @Override
    public void close() {
        http.close();
    }

    /** Closes the connection, if open; the next request opens a new one. */
    void disconnect() {
        http.close();
    }
}
