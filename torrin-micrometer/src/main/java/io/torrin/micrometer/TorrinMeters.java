/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import java.util.List;

/**
 * The names of the meters {@link TorrinMetrics} registers, in Micrometer's dot notation (Prometheus shows
 * {@code torrin.operation} as {@code torrin_operation_seconds}, a counter with a {@code _total} suffix). Every
 * meter may carry the common tags of {@link TorrinMetrics.Builder#tags}. {@code docs/operations.md} explains each.
 */
public final class TorrinMeters {

    /**
     * Counter: uploads created. Tags {@code protocol}, {@code storage}. (Not {@code torrin.uploads.created}:
     * Prometheus reserves the {@code _created} suffix of counters.)
     */
    public static final String UPLOADS_CREATED = "torrin.uploads.initiated";

    /** Counter: uploads completed. Tags {@code protocol}, {@code storage}. */
    public static final String UPLOADS_COMPLETED = "torrin.uploads.completed";

    /** Counter: uploads aborted by a client. Tags {@code protocol}, {@code storage}. */
    public static final String UPLOADS_ABORTED = "torrin.uploads.aborted";

    /** Counter: unfinished uploads the sweeper removed. Tags {@code protocol} ({@code none}), {@code storage}. */
    public static final String UPLOADS_EXPIRED = "torrin.uploads.expired";

    /** Gauge: uploads with a chunk or append request receiving bytes on this instance. */
    public static final String UPLOADS_IN_FLIGHT = "torrin.uploads.in.flight";

    /** Counter, bytes: bytes accepted and recorded. Tags {@code protocol}, {@code storage}. */
    public static final String BYTES_RECEIVED = "torrin.upload.received";

    /**
     * Timer with histogram: one per request. Tags {@code operation}, {@code protocol}, {@code outcome}
     * ({@code success}, {@code error}), {@code error} (the {@code ErrorCode}, {@code none}), {@code storage}.
     */
    public static final String OPERATION = "torrin.operation";

    /** Counter: failed operations. Tags {@code operation}, {@code protocol}, {@code code} (the {@code ErrorCode}). */
    public static final String ERRORS = "torrin.errors";

    /** Timer with histogram: lock waits. Tags {@code mode} ({@code shared}, {@code exclusive}), {@code outcome}. */
    public static final String LOCK_WAIT = "torrin.lock.wait";

    /** Counter: lock waits that timed out ({@code UPLOAD_LOCKED}). Tag {@code mode}. */
    public static final String LOCK_TIMEOUTS = "torrin.lock.timeouts";

    /** Timer: storage driver calls. Tags {@code storage}, {@code operation} (the method), {@code outcome}. */
    public static final String STORAGE_OPERATION = "torrin.storage.operation";

    /** Timer: store calls. Tags {@code store}, {@code operation} (the method), {@code outcome}. */
    public static final String STORE_OPERATION = "torrin.store.operation";

    /** Timer: expiry sweep runs (its count is the number of runs). */
    public static final String SWEEPS = "torrin.sweeps";

    /** Counter: uploads removed by expiry sweeps. */
    public static final String SWEEP_REMOVED = "torrin.sweep.removed";

    /** The name of the observation of each operation (and of its timer, where a meter handler is set). */
    public static final String OBSERVATION = "torrin.request";

    /** Every meter name above, in the order of {@code docs/operations.md}. */
    public static final List<String> ALL = List.of(
            UPLOADS_CREATED,
            UPLOADS_COMPLETED,
            UPLOADS_ABORTED,
            UPLOADS_EXPIRED,
            UPLOADS_IN_FLIGHT,
            BYTES_RECEIVED,
            OPERATION,
            ERRORS,
            LOCK_WAIT,
            LOCK_TIMEOUTS,
            STORAGE_OPERATION,
            STORE_OPERATION,
            SWEEPS,
            SWEEP_REMOVED);

    private TorrinMeters() {}
}
