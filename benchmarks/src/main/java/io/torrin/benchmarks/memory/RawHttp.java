package io.torrin.benchmarks.memory;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on one blocking, persistent {@link SocketChannel} to {@code 127.0.0.1}: request heads
 * written by hand, bodies streamed from caller buffers, responses with {@code Content-Length} (or none) read back.
 * Enough for the memory scenario, which needs exact control over when request bytes are sent (a body can be left
 * half-sent for as long as the harness likes). Not thread-safe.
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

    private final int port;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private SocketChannel channel;

    /**
     * Creates a client for a loopback port; it connects on the first request.
     *
     * @param port the server's port
     */
    RawHttp(int port) {
        this.port = port;
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
        sendHead(method, target, headers + "Content-Length: " + body.length + "\r\n");
        send(ByteBuffer.wrap(body));
        return readResponse(method.equals("HEAD"));
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
        if (channel == null || !channel.isOpen()) {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            in.clear().flip();
        }
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n";
        send(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /**
     * Writes bytes on the connection (blocking until all are written).
     *
     * @param bytes the bytes; their position is consumed
     * @throws IOException if writing fails
     */
    void send(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads one response.
     *
     * @param headRequest whether it answers a {@code HEAD} (no body then)
     * @return the response
     * @throws IOException if reading fails or the response is not understood
     */
    Response readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        StringBuilder body = new StringBuilder();
        if (!headRequest && status != 204 && status != 304 && status >= 200) {
            String length = headers.get("content-length");
            if (length == null) {
                if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                    throw new IOException("chunked responses are not supported here");
                }
            } else {
                for (long left = Long.parseLong(length); left > 0; ) {
                    if (!in.hasRemaining() && fill() < 0) {
                        throw new EOFException("connection closed in a response body");
                    }
                    int n = (int) Math.min(left, in.remaining());
                    body.append(new String(in.array(), in.position(), n, StandardCharsets.ISO_8859_1));
                    in.position(in.position() + n);
                    left -= n;
                }
            }
        }
        if (headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close")) {
            disconnect();
        }
        return new Response(status, headers, body.toString());
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = in.position(); i + 1 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                    String line = new String(in.array(), in.position(), i - in.position(), StandardCharsets.ISO_8859_1);
                    in.position(i + 2);
                    return line;
                }
            }
            if (fill() < 0) {
                throw new EOFException("connection closed in a response head");
            }
        }
    }

    private int fill() throws IOException {
        in.compact();
        if (!in.hasRemaining()) {
            throw new IOException("response head too large");
        }
        int n = channel.read(in);
        in.flip();
        return n;
    }

    /** Closes the connection, if open. */
    @Override
    public void close() {
        disconnect();
    }

    /** Closes the connection, if open; the next request opens a new one. */
    void disconnect() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone either way
            }
            channel = null;
        }
    }
}
