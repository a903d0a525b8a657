/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

/**
 * Receives {@link UploadEvent}s after they happened, for notifications, metrics or post-processing. Listeners
 * observe; they cannot change or refuse an operation (that is what {@link UploadHooks} are for).
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Thread:</b> events are delivered on the service's event executor: by default one background thread per
 *       service, so one listener sees events one at a time, in the order they happened; with an executor of the
 *       application's ({@link UploadServiceBuilder#eventExecutor}) on its threads, in its order. A listener shared
 *       with a multi-threaded executor must be thread-safe.</li>
 *   <li><b>Must not block:</b> a slow listener delays every later event of the service (on the default executor),
 *       never a request; hand long work (sending mail, transcoding) to a queue or executor of your own.</li>
 *   <li><b>At most once:</b> each event is delivered at most once to each listener, after the change is durable in
 *       the store; an event is never repeated, for example after a retry of the request.</li>
 *   <li><b>May be dropped:</b> events still queued when the service closes are delivered for at most five seconds,
 *       then dropped; an event the executor refuses is dropped with a warning; events do not survive a crash. Do
 *       not use events as the only record of an upload: the store is that record.</li>
 *   <li><b>Exceptions:</b> a listener that throws is logged and skipped; it never affects the upload or the other
 *       listeners.</li>
 * </ul>
 */
@FunctionalInterface
public interface UploadListener {

    /**
     * Handles one event.
     *
     * @param event the event, not null
     */
    void onEvent(UploadEvent event);
}
