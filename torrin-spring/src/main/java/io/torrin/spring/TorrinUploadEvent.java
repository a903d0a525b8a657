/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.core.UploadSession;
import io.torrin.server.UploadEvent;
import java.security.Principal;
import java.util.Optional;
import org.springframework.context.ApplicationEvent;

/**
 * A Torrin {@link UploadEvent} as a Spring application event, so that {@code @EventListener} methods get them:
 *
 * <pre>{@code
 * @EventListener
 * void on(TorrinUploadEvent event) {
 *     if (event.getType() == UploadEvent.Type.COMPLETED) { ... }
 * }
 * }</pre>
 *
 * <p>Delivery: the starter publishes every event of the upload service (created, progress, chunk received,
 * completed, aborted, expired) after the fact, on the service's event thread, not on the request's thread: a
 * listener runs after the change is durable and cannot fail or slow the request; there is no transaction to join.
 * Events are delivered at most once, may be dropped when the application stops (queued events get five seconds),
 * and do not survive a crash (see {@link io.torrin.server.UploadListener}). A listener's exception is logged and
 * ignored. Turn publishing off with {@code torrin.events.application-events=false}.
 */
public final class TorrinUploadEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient UploadEvent event;

    /**
     * Wraps an event.
     *
     * @param source the upload service that raised it, not null
     * @param event the event, not null
     */
    public TorrinUploadEvent(Object source, UploadEvent event) {
        super(source);
        this.event = event;
    }

    /**
     * Returns the Torrin event.
     *
     * @return the event, not null
     */
    public UploadEvent getUploadEvent() {
        return event;
    }

    /**
     * Returns what happened.
     *
     * @return the type, not null
     */
    public UploadEvent.Type getType() {
        return event.type();
    }

    /**
     * Returns the upload as it was right after the event.
     *
     * @return the session, not null
     */
    public UploadSession getSession() {
        return event.session();
    }

    /**
     * Returns the authenticated caller of the request that caused the event.
     *
     * @return the principal, if the request had one
     */
    public Optional<Principal> getPrincipal() {
        return event.principal();
    }

    @Override
    public String toString() {
        return "TorrinUploadEvent[" + event.type() + " " + event.session().uploadId() + "]";
    }
}
