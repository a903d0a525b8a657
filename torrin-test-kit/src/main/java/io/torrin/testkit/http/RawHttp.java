/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Speaks HTTP/1.1 over a plain socket, for what a well-behaved client library refuses to do: announce a body and
 * send only part of it (or none), then hang up or wait; send a method in lower case, a header twice or an empty
 * {@code Host}; see the interim {@code 100 Continue} a server sends, or does not.
 */
public final class RawHttp {

    private RawHttp() {}

    /**
     * Sends a request head announcing {@code contentLength} bytes, then only {@code body}, then closes the
     * connection without reading the answer.
     *
     * @param url the absolute URL of the request
     * @param method the method
     * @param headers extra headers
     * @param contentLength the announced length
     * @param body what is actually sent, shorter than announced
     * @throws IOException if the connection fails
     */
    public static void sendAndHangUp(
            URI url, String method, Map<String, String> headers, long contentLength, byte[] body) throws IOException {
        try (Socket socket = new Socket(url.getHost(), port(url))) {
            OutputStream out = socket.getOutputStream();
            out.write(head(url, method, headers, contentLength).getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            socket.setSoLinger(true, 0);
        }
    }

    /**
     * Sends a complete request and returns the status code of the answer.
     *
     * @param url the absolute URL of the request
     * @param method the method
     * @param headers extra headers
     * @param body the body
     * @return the status code
     * @throws IOException if the connection fails
     */
    public static int send(URI url, String method, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = new Socket(url.getHost(), port(url))) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((head(url, method, headers, body.length)).getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().trim().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP status line: " + statusLine);
            }
            return Integer.parseInt(parts[1]);
        }
    }

    private static String head(URI url, String method, Map<String, String> headers, long contentLength) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(url.getRawPath()).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(url.getHost())
                .append(':')
                .append(port(url))
                .append("\r\n");
        head.append("Content-Length: ").append(contentLength).append("\r\n");
        head.append("Connection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    }

    /** What came back for a raw request: the interim statuses, the final one, its headers and body, and how long. */
    public record Response(
            List<Integer> interim, int status, Map<String, List<String>> headers, String body, Duration elapsed) {

        /**
         * Returns the first value of a header.
         *
         * @param name the name, any case
         * @return the value, or empty
         */
        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }
    }

    /**
     * Sends a request head exactly as given, then {@code body} (which may be shorter than the head announces, or
     * empty), and reads the answer without sending more: interim {@code 1xx} answers are collected, the final answer
     * is read to the end of its declared body (or of the connection).
     *
     * @param url the server's address (host and port are used)
     * @param head the request line and headers, each ending in CRLF, without the final empty line
     * @param body the bytes sent after the head
     * @param timeout how long to wait for the answer
     * @return the answer
     * @throws IOException if the connection fails or the answer does not come in time
     */
    public static Response exchange(URI url, String head, byte[] body, Duration timeout) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(url.getHost(), port(url))) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            List<Integer> interim = new ArrayList<>();
            while (true) {
                String statusLine = line(in);
                String[] parts = statusLine.split(" ");
                if (parts.length < 2) {
                    throw new IOException("no HTTP status line: " + statusLine);
                }
                int status = Integer.parseInt(parts[1]);
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(header.substring(colon + 1).trim());
                }
                if (status < 200) {
                    interim.add(status);
                    continue;
                }
                Optional<String> length = headers.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase("Content-Length"))
                        .map(e -> e.getValue().get(0))
                        .findFirst();
                byte[] content = length.isPresent() ? in.readNBytes(Integer.parseInt(length.get())) : new byte[0];
                return new Response(
                        interim,
                        status,
                        headers,
                        new String(content, StandardCharsets.UTF_8),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("the connection closed before an answer");
        }
        return line.toString().trim();
    }
}
