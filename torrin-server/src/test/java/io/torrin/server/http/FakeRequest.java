/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory {@link HttpRequest} for handler tests. */
final class FakeRequest implements HttpRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private InputStream body = new ByteArrayInputStream(new byte[0]);
    private Principal principal;

    private FakeRequest(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static FakeRequest of(String method, String path) {
        return new FakeRequest(method, path);
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest json(String json) {
        header("Content-Type", "application/json");
        return body(json.getBytes(StandardCharsets.UTF_8));
    }

    FakeRequest body(byte[] bytes) {
        this.body = new ByteArrayInputStream(bytes);
        return this;
    }

    FakeRequest body(InputStream stream) {
        this.body = stream;
        return this;
    }

    FakeRequest principal(Principal principal) {
        this.principal = principal;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public String mountUrl() {
        return "http://localhost:8080/app/torrin/uploads";
    }
}
