/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.support.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link UploadEvent}s to the listeners after the fact, on the event executor: the service's own single
 * thread (which this class owns and stops) or the application's executor (which it never shuts down). A listener
 * that throws is logged and skipped. Thread-safe.
 */
final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final long DRAIN_SECONDS = 5;

    private final List<UploadListener> listeners;
    private final Executor executor;
    private final ExecutorService owned;
    private final UploadInstrumentation instrumentation;
    private final long progressIntervalNanos;
    private final ConcurrentMap<String, Long> lastProgress = new ConcurrentHashMap<>();

    /**
     * Creates the dispatcher.
     *
     * @param listeners the listeners, in delivery order
     * @param executor the application's executor, or empty to own one background thread
     * @param instrumentation told of every event, synchronously
     * @param progressInterval the least time between two progress events of one upload; zero for none
     */
    EventDispatcher(
            List<UploadListener> listeners,
            Optional<Executor> executor,
            UploadInstrumentation instrumentation,
            Duration progressInterval) {
        this.listeners = List.copyOf(listeners);
        this.owned = executor.isPresent() || this.listeners.isEmpty()
                ? null
                : Executors.newSingleThreadExecutor(DaemonThreads.named("torrin-events"));
        this.executor = executor.orElse(owned);
        this.instrumentation = instrumentation;
        this.progressIntervalNanos = progressInterval.toNanos();
    }

    /** Tells whether progress events are wanted at all (a listener and a non-zero interval). */
    boolean wantsProgress() {
        return progressIntervalNanos > 0 && !listeners.isEmpty();
    }

    /** Reports an event to the instrumentation and queues it for every listener. */
    void publish(
            UploadEvent.Type type,
            UploadSession session,
            OptionalInt chunkIndex,
            Optional<StorageLocation> location,
            RequestContext context) {
        UploadEvent event = new UploadEvent(
                type, session, chunkIndex, location, context.principal(), context.protocol(), OptionalLong.empty());
        try {
            instrumentation.event(event);
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed on {} of upload {}", type, session.uploadId(), e);
        }
        if (type == UploadEvent.Type.COMPLETED
                || type == UploadEvent.Type.ABORTED
                || type == UploadEvent.Type.EXPIRED) {
            lastProgress.remove(session.uploadId());
        }
        queue(event);
    }

    /**
     * Queues a progress event unless one of the same upload was queued, or its first bytes arrived, less than the
     * progress interval ago.
     *
     * @param session the upload
     * @param chunkIndex the chunk arriving, for a chunk
     * @param bytes the offset reached (append) or the chunk's bytes so far (chunk)
     * @param context the caller
     */
    void progress(UploadSession session, OptionalInt chunkIndex, long bytes, RequestContext context) {
        long now = System.nanoTime();
        Long previous = lastProgress.get(session.uploadId());
        if (previous == null) {
            // the first bytes only start the clock: a body that arrives within one interval raises no progress
            lastProgress.putIfAbsent(session.uploadId(), now);
            return;
        }
        if (now - previous < progressIntervalNanos) {
            return;
        }
        if (lastProgress.replace(session.uploadId(), previous, now)) {
            queue(new UploadEvent(
                    UploadEvent.Type.PROGRESS,
                    session,
                    chunkIndex,
                    Optional.empty(),
                    context.principal(),
                    context.protocol(),
                    OptionalLong.of(bytes)));
        }
    }

    private void queue(UploadEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.warn(
                    "Dropped {} event of upload {}: the event executor refused it",
                    event.type(),
                    event.session().uploadId());
        }
    }

    /** Stops the owned thread after delivering what is queued, for at most five seconds. */
    void close() {
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                owned.shutdownNow();
            }
        } catch (InterruptedException e) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(UploadEvent event) {
        for (UploadListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (Error) e;
                }
                LOG.warn(
                        "Upload listener {} failed on {} of upload {}",
                        listener,
                        event.type(),
                        event.session().uploadId(),
                        e);
            }
        }
    }
}
