/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * The one tus 1.0 client the benchmark uses for every server, on an {@link HttpConnection} (persistent, gathering
 * writes from the off-heap payload buffers, no pipelining). It sends exactly the core protocol's requests (creation
 * {@code POST}, {@code PATCH}, {@code HEAD}, termination {@code DELETE}) with the headers the specification requires
 * and nothing else, and waits for each response before sending the next request.
 *
 * <p>Not thread-safe: one client per thread.
 */
public final class TusClient implements Closeable {

    private static final String TUS = "Tus-Resumable: 1.0.0\r\n";

    private final URI creationUrl;
    private final HttpConnection http;

    /**
     * Creates a client for one server; it connects on the first request.
     *
     * @param creationUrl the server's absolute {@code http} creation URL; later requests go to the same host and port
     */
    public TusClient(URI creationUrl) {
        this.http = new HttpConnection(creationUrl);
        this.creationUrl = creationUrl;
    }

    /**
     * Creates an upload ({@code POST} with {@code Upload-Length}).
     *
     * @param length the upload's length in bytes
     * @return the absolute upload URL from the {@code Location} header
     * @throws IOException if the request fails or the server does not answer {@code 201}
     */
    public URI create(long length) throws IOException {
        http.exchange(
                "POST",
                HttpConnection.target(creationUrl),
                TUS + "Upload-Length: " + length + "\r\nContent-Length: 0\r\n");
        expect(201, "POST", creationUrl);
        String location = http.header("Location");
        if (location == null) {
            throw new IOException("201 without Location from " + creationUrl);
        }
        return creationUrl.resolve(location);
    }

    /**
     * Appends bytes to an upload ({@code PATCH}).
     *
     * @param upload the upload URL
     * @param offset the {@code Upload-Offset} the bytes start at
     * @param body the bytes: the remaining bytes of these buffers, in order (their positions are consumed)
     * @return the {@code Upload-Offset} the server answers with
     * @throws IOException if the request fails or the server does not answer {@code 204}
     */
    public long patch(URI upload, long offset, ByteBuffer... body) throws IOException {
        long length = 0;
        for (ByteBuffer part : body) {
            length += part.remaining();
        }
        http.exchange(
                "PATCH",
                HttpConnection.target(upload),
                TUS + "Upload-Offset: " + offset
                        + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + length + "\r\n",
                body);
        expect(204, "PATCH", upload);
        return uploadOffset(upload);
    }

    /**
     * Asks for an upload's offset ({@code HEAD}).
     *
     * @param upload the upload URL
     * @return the {@code Upload-Offset} the server answers with
     * @throws IOException if the request fails or the server does not answer {@code 200} or {@code 204}
     */
    public long offset(URI upload) throws IOException {
        if (http.exchange("HEAD", HttpConnection.target(upload), TUS) != 204) {
            expect(200, "HEAD", upload);
        }
        return uploadOffset(upload);
    }

    /**
     * Terminates an upload ({@code DELETE}, the termination extension).
     *
     * @param upload the upload URL
     * @return whether the server answered {@code 204}; a server without the extension answers otherwise
     * @throws IOException if the request fails
     */
    public boolean delete(URI upload) throws IOException {
        return http.exchange("DELETE", HttpConnection.target(upload), TUS + "Content-Length: 0\r\n") == 204;
    }

    /** Closes the connection, if one is open. */
    @Override
    public void close() {
        http.close();
    }

    private void expect(int expected, String method, URI uri) throws IOException {
        if (http.status() != expected) {
            throw new IOException(
                    method + " " + uri + " answered " + http.status() + " (expected " + expected + "): " + http.text());
        }
    }

    private long uploadOffset(URI upload) throws IOException {
        String value = http.header("Upload-Offset");
        if (value == null) {
            throw new IOException("no Upload-Offset in the answer from " + upload);
        }
        return Long.parseLong(value);
    }
}
