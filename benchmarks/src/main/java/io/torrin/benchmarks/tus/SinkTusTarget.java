/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The loopback/HTTP ceiling: a servlet on the same embedded Jetty that speaks just enough tus for the benchmark
 * client (creation, PATCH, HEAD) and throws the bytes away. No storage, no state but an offset per upload, so its
 * numbers are what the container, the loopback interface and the client allow on this machine.
 */
public final class SinkTusTarget implements TusTarget {

    private final LoopbackJetty jetty;

    private SinkTusTarget(LoopbackJetty jetty) {
        this.jetty = jetty;
    }

    /**
     * Starts the sink.
     *
     * @return the running sink
     * @throws Exception if Jetty does not start
     */
    public static SinkTusTarget start() throws Exception {
        return new SinkTusTarget(LoopbackJetty.start("sink", new ServletHolder(new Sink())));
    }

    @Override
    public String name() {
        return "HTTP sink (ceiling)";
    }

    @Override
    public URI creationUrl() {
        return jetty.creationUrl();
    }

    @Override
    public PatchDurability durability() {
        return PatchDurability.NO_FSYNC_PER_PATCH;
    }

    @Override
    public String durabilityNote() {
        return "stores nothing: reads and discards every body (the ceiling of container, loopback and client)";
    }

    @Override
    public boolean isCeiling() {
        return true;
    }

    @Override
    public void close() throws IOException {
        jetty.stop();
    }

    /** Creation, PATCH and HEAD with offsets kept in memory; bodies discarded. */
    private static final class Sink extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, AtomicLong> offsets = new ConcurrentHashMap<>();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Tus-Resumable", "1.0.0");
            String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            if (request.getMethod().equals("POST") && path.length() <= 1) {
                String id = UUID.randomUUID().toString();
                offsets.put(id, new AtomicLong());
                response.setStatus(201);
                response.setHeader(
                        "Location", request.getRequestURL().toString().replaceAll("/+$", "") + "/" + id);
                response.setHeader("Upload-Offset", "0");
                return;
            }
            AtomicLong offset = offsets.get(path.substring(1));
            if (offset == null) {
                response.setStatus(404);
                return;
            }
            if (request.getMethod().equals("PATCH")) {
                byte[] buffer = new byte[64 * 1024];
                long count = 0;
                try (InputStream in = request.getInputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        count += n;
                    }
                }
                response.setStatus(204);
                response.setHeader("Upload-Offset", Long.toString(offset.addAndGet(count)));
                return;
            }
            response.setStatus(200);
            response.setHeader("Upload-Offset", Long.toString(offset.get()));
            response.setHeader("Cache-Control", "no-store");
        }
    }
}
