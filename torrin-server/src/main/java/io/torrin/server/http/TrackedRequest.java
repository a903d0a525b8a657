/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request whose body counts the bytes read from it, so that a refusal knows how much of a declared body is still
 * on the wire (and whether reading has begun at all, which makes the container send {@code 100 Continue}). Used by
 * one request's thread.
 */
final class TrackedRequest implements HttpRequest {

    private final HttpRequest request;
    private CountingStream body;

    TrackedRequest(HttpRequest request) {
        this.request = request;
    }

    /** The bytes of the body read so far. */
    long consumed() {
        return body == null ? 0 : body.count;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public List<String> headers(String name) {
        return request.headers(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        return request.headers();
    }

    @Override
    public InputStream body() throws IOException {
        if (body == null) {
            body = new CountingStream(request.body());
        }
        return body;
    }

    @Override
    public Optional<Principal> principal() {
        return request.principal();
    }

    @Override
    public String mountUrl() {
        return request.mountUrl();
    }

    @Override
    public Optional<String> trailer(String name) {
        return request.trailer(name);
    }

    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }

        @Override
        public void close() {
            // the adapter owns and closes the container's stream
        }
    }
}
