/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.server.http.HttpRequest;
import io.torrin.server.http.HttpResponse;
import io.torrin.server.http.ResponseContent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Translates between the Servlet API and the neutral exchange, for {@link TorrinServlet}, {@link TorrinFilter}
 * and framework integrations built on servlets (the Spring Boot starter uses it). Stateless and thread-safe.
 */
public final class ServletExchange {

    /** The request attribute by which Tomcat says it can send a file itself after the servlet returns. */
    static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";

    private static final String SENDFILE_PREFIX = "org.apache.tomcat.sendfile.";

    private ServletExchange() {}

    /**
     * Handles one servlet request with a protocol handler: translates the request, runs the handler, writes the
     * response.
     *
     * @param request the servlet request
     * @param response the servlet response
     * @param mountPath the path of the mount point below the context path, for example {@code /torrin/uploads}
     * @param handler the protocol handler, for example {@code TorrinProtocolHandler::handle} or {@code TusProtocolHandler::handle}
     * @throws IOException if the response cannot be written
     */
    public static void handle(
            HttpServletRequest request,
            HttpServletResponse response,
            String mountPath,
            Function<HttpRequest, HttpResponse> handler)
            throws IOException {
        String withinContext =
                request.getRequestURI().substring(request.getContextPath().length());
        String path = withinContext.startsWith(mountPath) ? withinContext.substring(mountPath.length()) : withinContext;
        Request exchange = new Request(request, mountPath, path);
        if (hasBody(request) && request.isAsyncSupported() && !expectsContinue(request)) {
            handleAsync(request, response, exchange, handler);
            return;
        }
        write(handler.apply(exchange), request, response);
    }

    /**
     * Serves a request with a body through the Servlet non-blocking read API when the filter or servlet is
     * registered with async support: the handler runs on a container thread started by the {@link AsyncContext}
     * and reads the body from an {@link AsyncRequestBody}, whose reads can be interrupted on every container (so a
     * stalled upload can be ended at once). Without async support the body is read with blocking reads.
     */
    private static void handleAsync(
            HttpServletRequest request,
            HttpServletResponse response,
            Request exchange,
            Function<HttpRequest, HttpResponse> handler)
            throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0);
        AsyncRequestBody body = new AsyncRequestBody(request::getInputStream);
        exchange.body = body;
        body.start(); // containers want the read listener registered on the request's own thread
        async.start(() -> {
            try {
                HttpResponse answer = handler.apply(exchange);
                if (!body.containerEnded()) {
                    write(answer, request, response);
                }
            } catch (IOException e) {
                // the client is gone; the handler already did all there is to do
            } finally {
                body.abandon();
                if (!body.containerEnded()) {
                    try {
                        async.complete();
                    } catch (IllegalStateException e) {
                        // the container already ended the request
                    }
                }
                body.answered();
            }
        });
    }

    /**
     * Tells whether the client waits for {@code 100 Continue} before it sends the body. Such a request is read with
     * blocking reads, which ask the container for the body only when the handler reads it: a request the handler
     * refuses from its headers alone is answered without a {@code 100 Continue} (registering a non-blocking read
     * listener would make the container send one at once). The price: on containers whose blocking reads ignore
     * interrupts (Tomcat), such a request that stalls is ended by the container's read timeout, not at once.
     */
    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.trim().equalsIgnoreCase("100-continue");
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Copies a neutral response to a servlet response. Streamed content ({@link HttpResponse#content()}) is written
     * through the response's output stream in 64 KiB steps, never held in memory.
     *
     * @param source the neutral response
     * @param target the servlet response
     * @throws IOException if the body cannot be written
     */
    public static void write(HttpResponse source, HttpServletResponse target) throws IOException {
        write(source, null, target);
    }

    /**
     * Copies a neutral response to a servlet response; streamed content that is a region of a local file is handed
     * to the container to send itself where it offers that (Tomcat's sendfile, announced by the request attribute
     * {@value #SENDFILE_SUPPORT}), and written through the output stream otherwise.
     *
     * @param source the neutral response
     * @param request the request being answered, or null
     * @param target the servlet response
     * @throws IOException if the body cannot be written
     */
    static void write(HttpResponse source, HttpServletRequest request, HttpServletResponse target) throws IOException {
        target.setStatus(source.status());
        source.headers().forEach((name, values) -> values.forEach(value -> target.addHeader(name, value)));
        if (source.content().isPresent()) {
            ResponseContent content = source.content().get();
            target.setContentLengthLong(content.length());
            Optional<ResponseContent.FileRegion> file = content.file();
            if (file.isPresent() && request != null && Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
                ResponseContent.FileRegion region = file.get();
                request.setAttribute(SENDFILE_PREFIX + "filename", region.path().toString());
                request.setAttribute(SENDFILE_PREFIX + "start", region.offset());
                request.setAttribute(SENDFILE_PREFIX + "end", region.offset() + region.length());
                return;
            }
            try (OutputStream out = target.getOutputStream()) {
                content.writeTo(out);
            }
        } else if (source.body().length > 0) {
            target.setContentLength(source.body().length);
            try (OutputStream out = target.getOutputStream()) {
                out.write(source.body());
            }
        }
    }

    private static final class Request implements HttpRequest {
        private final HttpServletRequest request;
        private final String mountPath;
        private final String path;
        private final Optional<Principal> principal;
        private InputStream body;

        Request(HttpServletRequest request, String mountPath, String path) {
            this.request = request;
            this.mountPath = mountPath;
            this.path = path;
            // read on the request thread: security frameworks keep the principal in a thread-local
            this.principal = Optional.ofNullable(request.getUserPrincipal());
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public List<String> headers(String name) {
            Enumeration<String> values = request.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        }

        @Override
        public Map<String, List<String>> headers() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            Enumeration<String> names = request.getHeaderNames();
            while (names != null && names.hasMoreElements()) {
                String name = names.nextElement();
                headers.put(name, headers(name));
            }
            return headers;
        }

        @Override
        public InputStream body() {
            if (body == null) {
                body = new FirstReadOpens(request);
            }
            return body;
        }

        @Override
        public Optional<String> trailer(String name) {
            try {
                if (!request.isTrailerFieldsReady()) {
                    return Optional.empty();
                }
                // the Servlet API promises lower-case names; some containers (Tomcat) keep the client's case
                return request.getTrailerFields().entrySet().stream()
                        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue)
                        .findFirst();
            } catch (IllegalStateException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<Principal> principal() {
            return principal;
        }

        @Override
        public String mountUrl() {
            String url = request.getRequestURL().toString();
            int pathStart = url.indexOf('/', url.indexOf("://") + 3);
            String origin = pathStart < 0 ? url : url.substring(0, pathStart);
            return origin + request.getContextPath() + mountPath;
        }
    }

    /**
     * The blocking body, asked of the container only when it is first read: some containers (Jetty) send
     * {@code 100 Continue} as soon as the input stream is requested, which a request refused from its headers must
     * not get.
     */
    private static final class FirstReadOpens extends InputStream {
        private final HttpServletRequest request;
        private InputStream input;

        FirstReadOpens(HttpServletRequest request) {
            this.request = request;
        }

        private InputStream input() throws IOException {
            if (input == null) {
                input = request.getInputStream();
            }
            return input;
        }

        @Override
        public int read() throws IOException {
            return input().read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return input().read(buffer, offset, length);
        }

        @Override
        public long skip(long n) throws IOException {
            return input().skip(n);
        }

        @Override
        public int available() throws IOException {
            return input == null ? 0 : input.available();
        }

        @Override
        public void close() throws IOException {
            if (input != null) {
                input.close();
            }
        }
    }
}
