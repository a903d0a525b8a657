/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

/**
 * A capability of a {@link StorageDriver} or {@link UploadStore}: it can tell whether it works right now, for
 * health endpoints (the Spring starter's {@code torrin} health group adapts it). Implemented by the local and S3
 * drivers and by every store of Torrin.
 *
 * <p>Contract: thread-safe; returns within a few seconds (it bounds its own network waits); never throws: a
 * failure is a {@link Health.Status#DOWN} report whose details say why. It has no side effects beyond a probe
 * (a file created and deleted, a ping, a bucket lookup).
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Checks the backend now.
     *
     * @return the result, not null
     */
    Health checkHealth();
}
