/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.server.internal.EvictableSource;
import io.torrin.server.spi.support.DaemonThreads;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends request bodies that arrive slower than a minimum data rate, so that a client trickling a byte now and then
 * cannot pin a worker thread and an upload's lock indefinitely: every second it looks at each running write, and
 * one that received fewer than {@code rate × window} bytes in its latest full window is evicted through
 * {@link RunningWrites}'s mechanism (an append keeps what it stored; a chunk is not recorded). Off when the rate is
 * zero. Owns its thread. Thread-safe.
 */
final class BodyWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(BodyWatchdog.class);

    private final RunningWrites running;
    private final long minimumBytesPerWindow;
    private final long windowNanos;
    private final ScheduledExecutorService scheduler;
    private final Map<EvictableSource, long[]> windows = new WeakHashMap<>();

    /**
     * Creates the watchdog and starts it if a rate is set.
     *
     * @param running the running writes
     * @param bytesPerSecond the minimum rate, 0 for none
     * @param window the span the rate is measured over
     */
    BodyWatchdog(RunningWrites running, long bytesPerSecond, Duration window) {
        this.running = running;
        this.windowNanos = window.toNanos();
        this.minimumBytesPerWindow = (long) Math.ceil(bytesPerSecond * (window.toNanos() / 1e9));
        if (bytesPerSecond == 0) {
            this.scheduler = null;
        } else {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("torrin-body-watchdog"));
            scheduler.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Stops the watchdog's thread. */
    void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Evicts every running body whose latest full window fell below the minimum; runs on the watchdog thread. */
    void check() {
        try {
            long now = System.nanoTime();
            for (EvictableSource body : running.bodies()) {
                long[] window = windows.computeIfAbsent(body, b -> new long[] {now, b.bytes()});
                if (now - window[0] < windowNanos) {
                    continue;
                }
                long received = body.bytes() - window[1];
                if (received < minimumBytesPerWindow) {
                    body.evict("the request body arrived slower than the minimum data rate (" + received + " bytes in "
                            + Duration.ofNanos(now - window[0]).toSeconds() + " s)");
                    LOG.info(
                            "Ended a request body below the minimum data rate: {} bytes in the latest window",
                            received);
                } else {
                    window[0] = now;
                    window[1] = body.bytes();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The request body watchdog failed; it runs again in a second", e);
        }
    }
}
