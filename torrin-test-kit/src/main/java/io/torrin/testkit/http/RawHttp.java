package io.torrin.testkit.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Speaks HTTP/1.1 over a plain socket, for what a well-behaved client library refuses to do: announce a body
 * and send only part of it, then hang up.
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
}
