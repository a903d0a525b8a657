/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.support.DaemonThreads;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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

    /**
     * Creates the dispatcher.
     *
     * @param listeners the listeners, in delivery order
     * @param executor the application's executor, or empty to own one background thread
     */
    EventDispatcher(List<UploadListener> listeners, Optional<Executor> executor) {
        this.listeners = List.copyOf(listeners);
        this.owned = executor.isPresent() || this.listeners.isEmpty()
                ? null
                : Executors.newSingleThreadExecutor(DaemonThreads.named("torrin-events"));
        this.executor = executor.orElse(owned);
    }

    /** Queues an event for every listener; drops it with a warning if the executor refuses it. */
    void publish(
            UploadEvent.Type type, UploadSession session, OptionalInt chunkIndex, Optional<StorageLocation> location) {
        if (listeners.isEmpty()) {
            return;
        }
        UploadEvent event = new UploadEvent(type, session, chunkIndex, location);
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.warn("Dropped {} event of upload {}: the event executor refused it", type, session.uploadId());
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
