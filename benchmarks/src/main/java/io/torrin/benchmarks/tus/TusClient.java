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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one tus 1.0 client the benchmark uses for every server: plain HTTP/1.1 over one persistent (keep-alive)
 * blocking {@link SocketChannel}, {@code TCP_NODELAY} on, each request head and body sent together by gathering writes
 * straight from the (off-heap) payload buffers. It sends exactly the core protocol's requests (creation
 * {@code POST}, {@code PATCH}, {@code HEAD}, termination {@code DELETE}) with the headers the specification requires
 * and nothing else, and waits for each response before sending the next request (no pipelining).
 *
 * <p>Not thread-safe: one client per thread. A response with {@code Connection: close} closes the connection; the
 * next request opens a new one.
 */
public final class TusClient implements Closeable {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_KEPT_BODY = 2048;

    private final URI creationUrl;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD).flip();
    private final Map<String, String> headers = new HashMap<>();
    private final StringBuilder keptBody = new StringBuilder();
    private SocketChannel channel;
    private int status;
    private boolean closeAfterResponse;

    /**
     * Creates a client for one server; it connects on the first request.
     *
     * @param creationUrl the server's absolute {@code http} creation URL; later requests go to the same host and port
     */
    public TusClient(URI creationUrl) {
        if (!"http".equals(creationUrl.getScheme()) || creationUrl.getPort() < 0) {
            throw new IllegalArgumentException("need http://host:port/..., got " + creationUrl);
        }
        this.creationUrl = creationUrl;
        this.address = new InetSocketAddress(creationUrl.getHost(), creationUrl.getPort());
        this.hostHeader = creationUrl.getHost() + ":" + creationUrl.getPort();
    }

    /**
     * Creates an upload ({@code POST} with {@code Upload-Length}).
     *
     * @param length the upload's length in bytes
     * @return the absolute upload URL from the {@code Location} header
     * @throws IOException if the request fails or the server does not answer {@code 201}
     */
    public URI create(long length) throws IOException {
        exchange("POST", target(creationUrl), "Upload-Length: " + length + "\r\nContent-Length: 0\r\n", null);
        expect(201, "POST", creationUrl);
        String location = headers.get("location");
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
        exchange("PATCH", target(upload), "Upload-Offset: " + offset
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + length + "\r\n", body);
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
        exchange("HEAD", target(upload), "", null);
        if (status != 204) {
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
        exchange("DELETE", target(upload), "Content-Length: 0\r\n", null);
        return status == 204;
    }

    /** Closes the connection, if one is open. */
    @Override
    public void close() {
        disconnect();
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private void exchange(String method, String target, String extraHeaders, ByteBuffer[] body) throws IOException {
        if (channel == null || !channel.isOpen()) {
            connect();
        }
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nTus-Resumable: 1.0.0\r\n"
                + extraHeaders + "\r\n";
        ByteBuffer headBuffer = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        try {
            if (body == null || body.length == 0) {
                while (headBuffer.hasRemaining()) {
                    channel.write(headBuffer);
                }
            } else {
                ByteBuffer[] all = new ByteBuffer[body.length + 1];
                all[0] = headBuffer;
                System.arraycopy(body, 0, all, 1, body.length);
                long left = headBuffer.remaining();
                for (ByteBuffer part : body) {
                    left += part.remaining();
                }
                while (left > 0) {
                    left -= channel.write(all);
                }
            }
            readResponse("HEAD".equals(method));
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
        if (closeAfterResponse) {
            disconnect();
        }
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
                // nothing to do: the connection is gone either way
            }
            channel = null;
        }
    }

    private void readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        int space = statusLine.indexOf(' ');
        status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        headers.clear();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        closeAfterResponse = connection.contains("close") || http10 && !connection.contains("keep-alive");
        keptBody.setLength(0);
        if (headRequest || status == 204 || status == 304 || status / 100 == 1) {
            return;
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            for (long size = Long.parseLong(chunkSize(readLine()), 16); size > 0;
                    size = Long.parseLong(chunkSize(readLine()), 16)) {
                skip(size);
                readLine();
            }
            while (!readLine().isEmpty()) {
                // trailer fields: ignored
            }
        } else if (headers.containsKey("content-length")) {
            skip(Long.parseLong(headers.get("content-length")));
        } else {
            closeAfterResponse = true;
            skip(Long.MAX_VALUE);
        }
    }

    private static String chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    }

    /** Reads one CRLF-terminated line of the response head (ISO-8859-1), without the CRLF. */
    private String readLine() throws IOException {
        int scanned = 0;
        while (true) {
            int from = in.position();
            for (int i = from + scanned; i + 1 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                    String line = new String(in.array(), in.arrayOffset() + from, i - from, StandardCharsets.ISO_8859_1);
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

    /** Discards {@code count} body bytes (or everything until end of stream for {@code Long.MAX_VALUE}). */
    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (!in.hasRemaining() && fill() < 0) {
                if (count == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("connection closed in a response body from " + address);
            }
            int n = (int) Math.min(left, in.remaining());
            for (int i = 0; i < n && keptBody.length() < MAX_KEPT_BODY; i++) {
                keptBody.append((char) (in.get(in.position() + i) & 0xff));
            }
            in.position(in.position() + n);
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

    private void expect(int expected, String method, URI uri) throws IOException {
        if (status != expected) {
            throw new IOException(method + " " + uri + " answered " + status + " (expected " + expected + "): "
                    + keptBody.toString().strip());
        }
    }

    private long uploadOffset(URI upload) throws IOException {
        String value = headers.get("upload-offset");
        if (value == null) {
            throw new IOException("no Upload-Offset in the answer from " + upload);
        }
        return Long.parseLong(value);
    }
}
