package io.torrin.server;

/**
 * Receives {@link UploadEvent}s after they happened, for notifications, metrics or post-processing.
 *
 * <p>Threading and ordering: events are delivered on the service's event executor (by default one background
 * thread per service, so events arrive one at a time, in the order they happened). A listener that throws is
 * logged and skipped; it never affects the upload or the other listeners. Implementations that are shared with
 * a custom multi-threaded executor must be thread-safe.
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
