/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import java.util.Optional;

/**
 * Receives measurements from an {@link UploadService}: operations as they start and end, bytes accepted, lock
 * waits, sweeps and every event. The engine has no metrics library of its own; {@code torrin-micrometer}
 * implements this interface with Micrometer meters and observations. Set with
 * {@link UploadServiceBuilder#instrumentation(UploadInstrumentation)}.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Threads:</b> every method is called on the thread doing the work (request threads, the sweeper, the
 *       event thread), concurrently; implementations must be thread-safe.</li>
 *   <li><b>Fast:</b> the calls are on the request path; they must not block or do I/O.</li>
 *   <li><b>Exceptions:</b> an exception thrown by an implementation is logged and ignored; it never fails or
 *       changes an operation.</li>
 *   <li><b>Low cardinality:</b> the values passed are made for tags (operation, protocol, lock mode) except the
 *       upload id given to {@link Trace#uploadId(String)}, which belongs in traces, never in a metric tag.</li>
 * </ul>
 * Every method has a default that does nothing, so an implementation overrides what it needs.
 */
public interface UploadInstrumentation {

    /** Instrumentation that measures nothing: the default of a service. */
    UploadInstrumentation NONE = new UploadInstrumentation() {};

    /**
     * Called once while the service is built, to let the instrumentation wrap the storage driver (to time its
     * operations). A wrapper must implement every capability interface the driver implements
     * ({@link io.torrin.server.spi.AppendableStorage} and the others), or the service loses them.
     *
     * @param storage the configured driver, not null
     * @return the driver the service uses, not null
     */
    default StorageDriver instrumentStorage(StorageDriver storage) {
        return storage;
    }

    /**
     * Called once while the service is built, to let the instrumentation wrap the store (to time its operations).
     *
     * @param store the configured store, not null
     * @return the store the service uses, not null
     */
    default UploadStore instrumentStore(UploadStore store) {
        return store;
    }

    /**
     * An operation starts. The returned trace is ended exactly once, on the same thread, when the operation
     * returns or throws.
     *
     * @param operation what starts, not null
     * @param uploadId the upload's id; empty for {@link UploadOperation#INIT} and
     *     {@link UploadOperation#CONCATENATE}, whose id {@link Trace#uploadId(String)} tells once known
     * @param context the caller; its {@link RequestContext#protocol()} names the protocol, not null
     * @return the trace of the operation, not null
     */
    default Trace start(UploadOperation operation, Optional<String> uploadId, RequestContext context) {
        return Trace.NONE;
    }

    /**
     * Bytes were accepted and recorded: a chunk stored for the first time, or an append's bytes (also those an
     * interrupted append kept). Never called for a re-sent chunk or for bytes that were rejected.
     *
     * @param bytes how many, positive
     * @param context the caller, not null
     */
    default void received(long bytes, RequestContext context) {}

    /**
     * A lock was waited for.
     *
     * @param mode shared or exclusive, not null
     * @param waitedNanos how long the caller waited
     * @param acquired {@code true} if the lock was acquired, {@code false} if the wait timed out
     *     ({@code UPLOAD_LOCKED}); try-locks of the sweeper that find an upload busy are not reported
     */
    default void lockWaited(LockMode mode, long waitedNanos, boolean acquired) {}

    /**
     * A sweep of expired uploads ran.
     *
     * @param removed how many uploads it removed (expired unfinished ones and finished ones past retention)
     * @param tookNanos how long it took
     */
    default void swept(int removed, long tookNanos) {}

    /**
     * An event happened; called synchronously, before listeners get it on the event executor.
     *
     * @param event the event, not null
     */
    default void event(UploadEvent event) {}

    /** One running operation. */
    interface Trace {

        /** A trace that records nothing. */
        Trace NONE = new Trace() {};

        /**
         * Tells the upload id once it is known (after an init).
         *
         * @param uploadId the id, not null
         */
        default void uploadId(String uploadId) {}

        /**
         * The operation failed; called before {@link #end()}.
         *
         * @param error what it threw, not null; a {@link io.torrin.core.TorrinException} carries the error code
         */
        default void failed(Throwable error) {}

        /** The operation ended (after {@link #failed} if it failed). */
        default void end() {}
    }
}
