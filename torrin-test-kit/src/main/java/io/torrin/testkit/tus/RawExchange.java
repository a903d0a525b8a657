/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Speaks HTTP/1.1 over a plain socket, one connection per exchange ({@code Connection: close}), for what the JDK
 * client cannot send: a chunked body followed by trailer fields. It reads the status and the header fields of the
 * answer (after any interim 1xx answers) and ignores its body.
 */
public final class RawExchange {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final byte[] CRLF = {'\r', '\n'};

    private RawExchange() {}

    /**
     * The status and header fields of an answer.
     *
     * @param request what was sent, for messages ({@code METHOD url})
     * @param status the status code
     * @param headers the header fields, names case-insensitive
     */
    public record Reply(String request, int status, HttpHeaders headers) {}

    /**
     * Sends a request with {@code Transfer-Encoding: chunked}: one chunk per element of {@code chunks} (empty
     * elements are skipped, as a zero-size chunk would end the body), then the trailer fields. When trailers are
     * given, a {@code Trailer} header naming them is added unless {@code headers} already has one.
     *
     * @param url the absolute URL
     * @param method the method
     * @param headers header fields to send besides {@code Host}, {@code Transfer-Encoding} and {@code Connection}
     * @param chunks the body in chunks
     * @param trailers the trailer fields, possibly empty
     * @return the answer
     * @throws IOException if the connection fails before an answer arrives
     */
    public static Reply sendChunked(
            URI url, String method, Map<String, String> headers, List<byte[]> chunks, Map<String, String> trailers)
            throws IOException {
        try (Socket socket = open(url)) {
            OutputStream out = socket.getOutputStream();
            StringBuilder head = requestLine(url, method, headers);
            head.append("Transfer-Encoding: chunked\r\n");
            if (!trailers.isEmpty() && headers.keySet().stream().noneMatch("Trailer"::equalsIgnoreCase)) {
                head.append("Trailer: ")
                        .append(String.join(", ", trailers.keySet()))
                        .append("\r\n");
            }
            head.append("\r\n");
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                for (byte[] chunk : chunks) {
                    if (chunk.length > 0) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunk);
                        out.write(CRLF);
                    }
                }
                StringBuilder tail = new StringBuilder("0\r\n");
                trailers.forEach((name, value) ->
                        tail.append(name).append(": ").append(value).append("\r\n"));
                tail.append("\r\n");
                out.write(tail.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer early and close; its answer is still worth reading
            }
            return readReply(method + " " + url + " (chunked)", socket.getInputStream());
        }
    }

    private static Socket open(URI url) throws IOException {
        Socket socket = new Socket(url.getHost(), port(url));
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static StringBuilder requestLine(URI url, String method, Map<String, String> headers) {
        StringBuilder head = new StringBuilder();
        String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(url.getHost())
                .append(':')
                .append(port(url))
                .append("\r\n");
        head.append("Connection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head;
    }

    private static Reply readReply(String request, InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        while (true) {
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new IOException("the connection closed without an answer to " + request);
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + line);
                }
                fields.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200) {
                continue; // an interim answer (100 Continue): the final one follows
            }
            return new Reply(request, status, HttpHeaders.of(fields, (name, value) -> true));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return c < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }
}
