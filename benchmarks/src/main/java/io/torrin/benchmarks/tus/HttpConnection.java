/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 connection under the benchmarks' fixed clients ({@link TusClient} and the end-to-end harness's Torrin
 * client): one persistent (keep-alive) blocking {@link SocketChannel} with {@code TCP_NODELAY}, each request head and
 * body written together by one gathering write straight from the caller's (off-heap) buffers, one request at a time
 * (no pipelining). The answer's status, headers and body (at most 16 MiB) are kept until the next request.
 *
 * <p>Not thread-safe: one connection per thread. It connects on the first request; an answer with
 * {@code Connection: close} (or HTTP/1.0 without keep-alive) closes the connection and the next request opens a new
 * one.
 */
public final class HttpConnection implements Closeable {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD).flip();
    private final Map<String, String> headers = new HashMap<>();
    private byte[] body = new byte[4096];
    private int bodyLength;
    private SocketChannel channel;
    private int status;
    private boolean closeAfterResponse;

    /**
     * Creates a connection to the host and port of {@code url}; it connects on the first request.
     *
     * @param url an absolute {@code http} URL with an explicit port
     * @throws IllegalArgumentException for another scheme or a missing port
     */
    public HttpConnection(URI url) {
        if (!"http".equals(url.getScheme()) || url.getPort() < 0) {
            throw new IllegalArgumentException("need http://host:port/..., got " + url);
        }
        this.address = new InetSocketAddress(url.getHost(), url.getPort());
        this.hostHeader = url.getHost() + ":" + url.getPort();
    }

    /**
     * Returns the request target (path and query) of {@code uri}.
     *
     * @param uri an absolute or relative URI
     * @return its raw path ({@code /} if empty) and query
     */
    public static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param method the method
     * @param target the request target, e.g. {@code /files/abc}
     * @param extraHeaders header lines after {@code Host}, each ending in CRLF (possibly empty)
     * @param requestBody the body: the remaining bytes of these buffers, in order (their positions are consumed);
     *     may be empty
     * @return the answer's status code
     * @throws IOException if the exchange fails (the connection is then closed)
     */
    public int exchange(String method, String target, String extraHeaders, ByteBuffer... requestBody)
            throws IOException {
        ByteBuffer[] all = new ByteBuffer[1 + requestBody.length];
        all[0] = head(method, target, extraHeaders);
        System.arraycopy(requestBody, 0, all, 1, requestBody.length);
        send(all);
        return readAnswer("HEAD".equals(method));
    }

    /**
     * Sends only a request's head, for callers that send the body themselves, in pieces and at their own pace
     * ({@link #send}), and then read the answer ({@link #readAnswer}).
     *
     * @param method the method
     * @param target the request target
     * @param extraHeaders header lines after {@code Host}, each ending in CRLF
     * @throws IOException if writing fails (the connection is then closed)
     */
    public void sendHead(String method, String target, String extraHeaders) throws IOException {
        send(head(method, target, extraHeaders));
    }

    /**
     * Writes bytes on the connection, blocking until all are written.
     *
     * @param bytes the remaining bytes of these buffers, in order (their positions are consumed)
     * @throws IOException if writing fails (the connection is then closed)
     */
    public void send(ByteBuffer... bytes) throws IOException {
        if (channel == null || !channel.isOpen()) {
            connect();
        }
        long left = 0;
        for (ByteBuffer part : bytes) {
            left += part.remaining();
        }
        try {
            while (left > 0) {
                left -= channel.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    /**
     * Reads the answer to the request just sent.
     *
     * @param headRequest whether the request was a {@code HEAD} (the answer then has no body)
     * @return the answer's status code
     * @throws IOException if reading fails or the answer is not understood (the connection is then closed)
     */
    public int readAnswer(boolean headRequest) throws IOException {
        try {
            readResponse(headRequest);
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
        if (closeAfterResponse) {
            disconnect();
        }
        return status;
    }

    private ByteBuffer head(String method, String target, String extraHeaders) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + extraHeaders + "\r\n";
        return ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Returns the last answer's status code.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Returns a header of the last answer.
     *
     * @param name the header name, any case
     * @return its value, or {@code null} if absent
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the last answer's headers.
     *
     * @return a copy, names in lower case (the last value of a repeated name)
     */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /**
     * Returns the buffer holding the last answer's body; valid up to {@link #bodyLength()} until the next request.
     *
     * @return the buffer, not a copy
     */
    public byte[] body() {
        return body;
    }

    /**
     * Returns the length of the last answer's body.
     *
     * @return the length in bytes
     */
    public int bodyLength() {
        return bodyLength;
    }

    /**
     * Returns the start of the last answer's body as text, for error messages.
     *
     * @return at most 2048 bytes of the body, decoded as UTF-8 and stripped
     */
    public String text() {
        return new String(body, 0, Math.min(bodyLength, 2048), StandardCharsets.UTF_8).strip();
    }

    /** Closes the connection, if one is open; the next request opens a new one. */
    @Override
    public void close() {
        disconnect();
    }

    private void connect() throws IOException {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        in.clear().flip();
    }

    private void disconnect() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
            channel = null;
        }
    }

    private void readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        headers.clear();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        closeAfterResponse =
                connection.contains("close") || statusLine.startsWith("HTTP/1.0") && !connection.contains("keep-alive");
        bodyLength = 0;
        if (headRequest || status == 204 || status == 304 || status / 100 == 1) {
            return;
        }
        if (headers.getOrDefault("transfer-encoding", "")
                .toLowerCase(Locale.ROOT)
                .contains("chunked")) {
            while (true) {
                String sizeLine = readLine();
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    break;
                }
                readBody(size, false);
                readLine();
            }
            while (!readLine().isEmpty()) {
                // trailer fields: ignored
            }
        } else if (headers.containsKey("content-length")) {
            readBody(Long.parseLong(headers.get("content-length")), false);
        } else {
            closeAfterResponse = true;
            readBody(Long.MAX_VALUE, true);
        }
    }

    /** Reads one CRLF-terminated line of the response (ISO-8859-1), without the CRLF. */
    private String readLine() throws IOException {
        int scanned = 0;
        while (true) {
            int from = in.position();
            for (int i = from + scanned; i + 1 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                    String line =
                            new String(in.array(), in.arrayOffset() + from, i - from, StandardCharsets.ISO_8859_1);
                    in.position(i + 2);
                    return line;
                }
            }
            scanned = Math.max(0, in.remaining() - 1);
            if (fill() < 0) {
                throw new EOFException("connection closed in a response head from " + address);
            }
        }
    }

    /** Appends {@code count} body bytes to {@link #body} (or everything up to end of stream when allowed). */
    private void readBody(long count, boolean untilEof) throws IOException {
        long left = count;
        while (left > 0) {
            if (!in.hasRemaining() && fill() < 0) {
                if (untilEof) {
                    return;
                }
                throw new EOFException("connection closed in a response body from " + address);
            }
            int n = (int) Math.min(left, in.remaining());
            if (bodyLength + n > MAX_BODY) {
                throw new IOException("response body larger than " + MAX_BODY + " bytes from " + address);
            }
            if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
            }
            in.get(body, bodyLength, n);
            bodyLength += n;
            left -= n;
        }
    }

    /** Moves unread bytes to the front and reads more; returns the bytes read, or -1 at end of stream. */
    private int fill() throws IOException {
        in.compact();
        if (!in.hasRemaining()) {
            throw new IOException("response head larger than " + MAX_HEAD + " bytes from " + address);
        }
        int n = channel.read(in);
        in.flip();
        return n;
    }
}
