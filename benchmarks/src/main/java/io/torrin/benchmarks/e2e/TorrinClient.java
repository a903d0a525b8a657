package io.torrin.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one Torrin wire protocol client of the end-to-end benchmark: HTTP/1.1 over one persistent (keep-alive) blocking
 * {@link SocketChannel} with {@code TCP_NODELAY}, each request head and body written together by one gathering write
 * straight from the caller's (off-heap) buffers, one request at a time (no pipelining). It speaks the five routes of
 * {@code docs/protocol.md}: create ({@code POST /}), chunk ({@code PUT /{id}/chunks/{index}}), status
 * ({@code GET /{id}/status}), complete ({@code POST /{id}/complete}) and abort ({@code DELETE /{id}}).
 *
 * <p>Every answer is checked: the status code, and on the hot paths a cheap scan of the JSON body (a chunk's answer
 * must name its index, a status answer's chunk lists are counted); creation and completion answers are parsed fully.
 * Error answers raise an {@link IOException} carrying the server's error body.
 *
 * <p>Not thread-safe: one client per thread and connection. It connects on the first request; an answer with
 * {@code Connection: close} closes the connection and the next request opens a new one.
 */
public final class TorrinClient implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final byte[] RECEIVED_INDEX = "\"receivedIndex\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED_CHUNKS = "\"receivedChunks\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_CHUNKS = "\"missingChunks\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS = "\"status\":\"".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final String hostHeader;
    private final String mountPath;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD).flip();
    private final Map<String, String> headers = new HashMap<>();
    private byte[] body = new byte[4096];
    private int bodyLength;
    private SocketChannel channel;
    private int status;
    private boolean closeAfterResponse;

    /**
     * What the creation answer says about a new upload.
     *
     * @param uploadId the upload's id
     * @param fileSize the file size the server recorded
     * @param chunkSize the negotiated chunk size
     * @param totalChunks the number of chunks
     * @param location the {@code Location} header
     */
    public record Created(String uploadId, long fileSize, long chunkSize, int totalChunks, String location) {
    }

    /**
     * The counts of a status answer.
     *
     * @param state the upload's state, e.g. {@code in_progress}
     * @param received the length of {@code receivedChunks}
     * @param missing the length of {@code missingChunks}
     */
    public record Status(String state, int received, int missing) {
    }

    /**
     * What the completion answer says.
     *
     * @param state the upload's state, {@code completed} on success
     * @param fileSize the file size
     * @param locationType the {@code location.type}, e.g. {@code local}
     * @param location the other attributes of {@code location}, e.g. {@code path}
     */
    public record Completed(String state, long fileSize, String locationType, Map<String, String> location) {
    }

    /**
     * Creates a client for one server; it connects on the first request.
     *
     * @param mountUrl the absolute {@code http} URL of the protocol's mount point, e.g.
     *     {@code http://127.0.0.1:41234/files}; all requests go to its host and port
     */
    public TorrinClient(URI mountUrl) {
        if (!"http".equals(mountUrl.getScheme()) || mountUrl.getPort() < 0) {
            throw new IllegalArgumentException("need http://host:port/..., got " + mountUrl);
        }
        this.address = new InetSocketAddress(mountUrl.getHost(), mountUrl.getPort());
        this.hostHeader = mountUrl.getHost() + ":" + mountUrl.getPort();
        String path = mountUrl.getRawPath() == null ? "" : mountUrl.getRawPath();
        this.mountPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Creates an upload: {@code POST /} with {@code {"fileSize", "desiredChunkSize"}}.
     *
     * @param fileSize the file's size in bytes
     * @param desiredChunkSize the chunk size asked for
     * @return the parsed answer
     * @throws IOException if the request fails or the answer is not {@code 201} with a session
     */
    public Created create(long fileSize, long desiredChunkSize) throws IOException {
        byte[] json = ("{\"fileSize\":" + fileSize + ",\"desiredChunkSize\":" + desiredChunkSize + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange("POST", mountPath + "/", "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n",
                new ByteBuffer[] {ByteBuffer.wrap(json)});
        expect(201, "POST /");
        JsonNode answer = parsedBody();
        String id = answer.path("uploadId").asText("");
        String location = headers.get("location");
        if (id.isEmpty() || location == null || !location.endsWith("/" + id)) {
            throw new IOException("creation answer without uploadId or matching Location: " + location + " " + text());
        }
        return new Created(id, answer.path("fileSize").asLong(), answer.path("chunkSize").asLong(),
                answer.path("totalChunks").asInt(), location);
    }

    /**
     * Sends one chunk: {@code PUT /{id}/chunks/{index}} with {@code Content-Length} and the raw bytes.
     *
     * @param uploadId the upload
     * @param index the chunk index
     * @param chunk the bytes: the remaining bytes of these buffers, in order (their positions are consumed)
     * @throws IOException if the request fails, the answer is not {@code 200} or does not name the index
     */
    public void putChunk(String uploadId, int index, ByteBuffer... chunk) throws IOException {
        long length = 0;
        for (ByteBuffer part : chunk) {
            length += part.remaining();
        }
        exchange("PUT", mountPath + "/" + uploadId + "/chunks/" + index,
                "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n", chunk);
        expect(200, "PUT chunk " + index + " of " + uploadId);
        int at = find(RECEIVED_INDEX, 0);
        if (at < 0 || readInt(at + RECEIVED_INDEX.length) != index) {
            throw new IOException("the answer to chunk " + index + " of " + uploadId + " names another index: " + text());
        }
    }

    /**
     * Asks for an upload's status: {@code GET /{id}/status}; counts the received and missing chunk lists.
     *
     * @param uploadId the upload
     * @return the state and the lengths of both lists
     * @throws IOException if the request fails or the answer is not {@code 200} with both lists
     */
    public Status status(String uploadId) throws IOException {
        exchange("GET", mountPath + "/" + uploadId + "/status", "", null);
        expect(200, "GET status of " + uploadId);
        int state = find(STATUS, 0);
        int received = countArray(RECEIVED_CHUNKS);
        int missing = countArray(MISSING_CHUNKS);
        if (state < 0 || received < 0 || missing < 0) {
            throw new IOException("status answer without status or chunk lists: " + text());
        }
        int from = state + STATUS.length;
        int to = from;
        while (to < bodyLength && body[to] != '"') {
            to++;
        }
        return new Status(new String(body, from, to - from, StandardCharsets.UTF_8), received, missing);
    }

    /**
     * Completes an upload: {@code POST /{id}/complete} without a body (no whole-file hash).
     *
     * @param uploadId the upload
     * @return the parsed answer
     * @throws IOException if the request fails or the answer is not {@code 200}
     */
    public Completed complete(String uploadId) throws IOException {
        exchange("POST", mountPath + "/" + uploadId + "/complete", "Content-Length: 0\r\n", null);
        expect(200, "POST complete of " + uploadId);
        JsonNode answer = parsedBody();
        JsonNode location = answer.path("location");
        Map<String, String> attributes = new LinkedHashMap<>();
        location.properties().forEach(e -> {
            if (!e.getKey().equals("type")) {
                attributes.put(e.getKey(), e.getValue().asText());
            }
        });
        return new Completed(answer.path("status").asText(""), answer.path("fileSize").asLong(-1),
                location.path("type").asText(""), attributes);
    }

    /**
     * Aborts an upload: {@code DELETE /{id}}.
     *
     * @param uploadId the upload
     * @return whether the server answered {@code 204}
     * @throws IOException if the request fails
     */
    public boolean delete(String uploadId) throws IOException {
        exchange("DELETE", mountPath + "/" + uploadId, "Content-Length: 0\r\n", null);
        return status == 204;
    }

    /** Closes the connection, if one is open. */
    @Override
    public void close() {
        disconnect();
    }

    // ------------------------------------------------------------------------------------------------ HTTP/1.1

    private void exchange(String method, String target, String extraHeaders, ByteBuffer[] requestBody)
            throws IOException {
        if (channel == null || !channel.isOpen()) {
            connect();
        }
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + extraHeaders + "\r\n";
        ByteBuffer[] all = new ByteBuffer[1 + (requestBody == null ? 0 : requestBody.length)];
        all[0] = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        long left = all[0].remaining();
        for (int i = 1; i < all.length; i++) {
            all[i] = requestBody[i - 1];
            left += all[i].remaining();
        }
        try {
            while (left > 0) {
                left -= channel.write(all);
            }
            readResponse();
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
                // the connection is gone either way
            }
            channel = null;
        }
    }

    private void readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        headers.clear();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        closeAfterResponse = connection.contains("close")
                || statusLine.startsWith("HTTP/1.0") && !connection.contains("keep-alive");
        bodyLength = 0;
        if (status == 204 || status == 304 || status / 100 == 1) {
            return;
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
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
                    String line = new String(in.array(), in.arrayOffset() + from, i - from,
                            StandardCharsets.ISO_8859_1);
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

    // ------------------------------------------------------------------------------------------------ bodies

    private void expect(int expected, String what) throws IOException {
        if (status != expected) {
            throw new IOException(what + " answered " + status + " (expected " + expected + "): " + text());
        }
    }

    private JsonNode parsedBody() throws IOException {
        return JSON.readTree(body, 0, bodyLength);
    }

    private String text() {
        return new String(body, 0, Math.min(bodyLength, 2048), StandardCharsets.UTF_8).strip();
    }

    /** Returns the position of {@code needle} in the body at or after {@code from}, or -1. */
    private int find(byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= bodyLength; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads the unsigned decimal integer at {@code at}; -1 if there is none. */
    private long readInt(int at) {
        long value = -1;
        for (int i = at; i < bodyLength && body[i] >= '0' && body[i] <= '9'; i++) {
            value = (value < 0 ? 0 : value * 10) + (body[i] - '0');
        }
        return value;
    }

    /** Counts the elements of the flat JSON number array that follows {@code key}; -1 if the key is absent. */
    private int countArray(byte[] key) {
        int at = find(key, 0);
        if (at < 0) {
            return -1;
        }
        int count = 0;
        boolean inElement = false;
        for (int i = at + key.length; i < bodyLength; i++) {
            byte b = body[i];
            if (b == ']') {
                return count + (inElement ? 1 : 0);
            }
            if (b == ',') {
                count++;
                inElement = false;
            } else if (b != ' ') {
                inElement = true;
            }
        }
        return -1;
    }
}
