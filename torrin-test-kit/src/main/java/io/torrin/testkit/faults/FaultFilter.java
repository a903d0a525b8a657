/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.torrin.core.ErrorCode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

/** The servlet filter of a {@link FaultInjector}. */
final class FaultFilter implements Filter {

    /** What a dropped answer announces: more than any answer writes, so the container must break the connection. */
    private static final long ANNOUNCED_LENGTH = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultInjector injector;
    private final String controlPath;

    FaultFilter(FaultInjector injector, String controlPath) {
        this.injector = injector;
        this.controlPath = controlPath;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI();
        if (controlPath != null && controlPath.equals(path)) {
            control(request, response);
            return;
        }
        FaultRule rule = injector.pick(request.getMethod(), path);
        if (rule == null) {
            chain.doFilter(request, response);
            return;
        }
        switch (rule.fault()) {
            case FAIL -> fail(rule, response);
            case DELAY -> {
                sleep(rule.minDelay(), rule.maxDelay());
                chain.doFilter(request, response);
            }
            case DROP_BEFORE_BODY -> drop(response);
            case DROP_AFTER_BODY -> chain.doFilter(request, new DroppingResponse(response));
            case CUT_BODY, CORRUPT_BODY -> {
                long length = request.getContentLengthLong();
                int at = length > 1 ? injector.nextInt((int) Math.min(Integer.MAX_VALUE, length)) : 0;
                chain.doFilter(new FaultyRequest(request, rule.fault(), at), response);
            }
        }
    }

    private static void fail(FaultRule rule, HttpServletResponse response) throws IOException {
        ErrorCode code = Arrays.stream(ErrorCode.values())
                .filter(c -> c.httpStatus() == rule.status())
                .findFirst()
                .orElse(ErrorCode.INTERNAL_ERROR);
        byte[] body = JSON.createObjectNode()
                .set("error", JSON.createObjectNode().put("code", code.name()).put("message", "fault injected"))
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(rule.status());
        if (rule.retryAfter() != null) {
            response.setHeader("Retry-After", Long.toString(rule.retryAfter().toSeconds()));
        }
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Commits an answer that announces more bytes than it has: the container breaks the connection after it. */
    private static void drop(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentLengthLong(ANNOUNCED_LENGTH);
        response.getOutputStream().write('{');
        response.flushBuffer();
    }

    private void sleep(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        long millis = min.toMillis() + (span > 0 ? injector.nextInt((int) Math.min(Integer.MAX_VALUE, span + 1)) : 0);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void control(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "POST" -> {
                JsonNode rule = JSON.readTree(request.getInputStream());
                FaultInjector.RuleBuilder builder = injector.on(
                        rule.path("method").isTextual() ? rule.path("method").asText() : null,
                        rule.path("path").asText(".*"));
                builder.probability(rule.path("probability").asDouble(1));
                if (rule.path("times").asInt(0) > 0) {
                    builder.times(rule.path("times").asInt());
                }
                Fault fault = Fault.valueOf(rule.path("fault").asText());
                switch (fault) {
                    case FAIL ->
                        builder.fail(
                                rule.path("status").asInt(503),
                                rule.has("retryAfterSeconds")
                                        ? Duration.ofSeconds(
                                                rule.path("retryAfterSeconds").asLong())
                                        : null);
                    case DELAY ->
                        builder.delay(
                                Duration.ofMillis(rule.path("minDelayMillis").asLong(0)),
                                Duration.ofMillis(rule.path("maxDelayMillis").asLong(0)));
                    case DROP_BEFORE_BODY -> builder.dropBeforeBody();
                    case DROP_AFTER_BODY -> builder.dropAfterBody();
                    case CUT_BODY -> builder.cutBody();
                    case CORRUPT_BODY -> builder.corruptBody();
                }
                response.setStatus(201);
            }
            case "DELETE" -> {
                injector.clear();
                response.setStatus(204);
            }
            case "GET" -> {
                ArrayNode list = JSON.createArrayNode();
                injector.rules()
                        .forEach(rule -> list.addObject()
                                .put("fault", rule.fault().name())
                                .put("fired", rule.fired())
                                .put("rule", rule.toString()));
                byte[] body = list.toString().getBytes(StandardCharsets.UTF_8);
                response.setContentType("application/json");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
            default -> {
                response.setStatus(405);
                response.setHeader("Allow", "GET, POST, DELETE");
            }
        }
    }

    /** Passes everything on but the answer's length, so that the container breaks the connection after it. */
    private static final class DroppingResponse extends HttpServletResponseWrapper {

        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length");

        DroppingResponse(HttpServletResponse response) {
            super(response);
            response.setContentLengthLong(ANNOUNCED_LENGTH);
        }

        @Override
        public void setContentLength(int length) {}

        @Override
        public void setContentLengthLong(long length) {}

        @Override
        public void setHeader(String name, String value) {
            if (!CONTENT_LENGTH.matcher(name).matches()) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!CONTENT_LENGTH.matcher(name).matches()) {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setStatus(int status) {
            super.setStatus(status == 204 || status == 304 ? 200 : status); // answers that may not have a body
        }
    }

    /** A request whose body breaks off, or has one byte changed, at a position. */
    private static final class FaultyRequest extends HttpServletRequestWrapper {

        private final Fault fault;
        private final long at;
        private ServletInputStream stream;

        FaultyRequest(HttpServletRequest request, Fault fault, long at) {
            super(request);
            this.fault = fault;
            this.at = at;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new FaultyInput(super.getInputStream(), fault, at);
            }
            return stream;
        }
    }

    private static final class FaultyInput extends ServletInputStream {

        private final ServletInputStream in;
        private final Fault fault;
        private final long at;
        private long position;

        FaultyInput(ServletInputStream in, Fault fault, long at) {
            this.in = in;
            this.fault = fault;
            this.at = at;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (fault == Fault.CUT_BODY && position >= at) {
                throw new IOException("fault injected: the body broke off after " + at + " bytes");
            }
            int wanted = fault == Fault.CUT_BODY ? (int) Math.min(length, at - position) : length;
            int read = in.read(buffer, offset, Math.max(1, wanted));
            if (read > 0 && fault == Fault.CORRUPT_BODY && at >= position && at < position + read) {
                buffer[offset + (int) (at - position)] ^= 0x5A;
            }
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
