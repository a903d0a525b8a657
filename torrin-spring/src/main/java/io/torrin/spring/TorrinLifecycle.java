/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.server.UploadService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Ties the upload service to the application's lifecycle: when the application stops, {@link #stop()} calls
 * {@link UploadService#shutdown(Duration)} with {@code torrin.shutdown.grace-period}: new upload requests get a
 * retryable 503, running chunk and append bodies are ended (an append keeps what it stored; a chunk is sent
 * again), queued events are delivered. Its phase is above the web server's graceful shutdown, so the uploads end
 * first and a stalled {@code PATCH} cannot hold the graceful shutdown until its timeout. The service itself is
 * closed with the context. Thread-safe.
 */
public final class TorrinLifecycle implements SmartLifecycle {

    /** The phase: stopped before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(TorrinLifecycle.class);

    private final UploadService service;
    private final Duration gracePeriod;
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param service the service to stop, not null
     * @param gracePeriod the longest wait for running requests, not null
     */
    public TorrinLifecycle(UploadService service, Duration gracePeriod) {
        this.service = service;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        long start = System.nanoTime();
        boolean idle = service.shutdown(gracePeriod);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (idle) {
            LOG.info("Torrin stopped taking uploads; running requests ended in {} ms", millis);
        } else {
            LOG.warn(
                    "Torrin stopped taking uploads; some requests were still running after the grace period of {}",
                    gracePeriod);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
