/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The thread factory of every background thread Torrin starts (event delivery, the expiry sweep, lock lease
 * renewal, a driver's background flushing): daemon threads with a recognizable name, so that they never keep a JVM
 * alive and a thread dump tells whose they are. Stateless and thread-safe.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /**
     * Returns a factory of daemon threads that all carry one name.
     *
     * @param name the threads' name, for example {@code "torrin-events"}, not null
     * @return the factory
     */
    public static ThreadFactory named(String name) {
        Objects.requireNonNull(name, "name");
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
