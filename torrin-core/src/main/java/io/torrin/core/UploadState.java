/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

/**
 * The life cycle of an upload: {@code PENDING} → {@code IN_PROGRESS} (after the first accepted chunk) →
 * {@code COMPLETED} or {@code CANCELED}. {@code FAILED} is reserved by the protocol and not used yet.
 */
public enum UploadState {
    /** Created, no chunk accepted yet. */
    PENDING("pending"),
    /** At least one chunk accepted, not completed. */
    IN_PROGRESS("in_progress"),
    /** Finalized in storage; no further change is possible. */
    COMPLETED("completed"),
    /** Aborted by a client; its storage data is gone. */
    CANCELED("canceled"),
    /** Reserved by the wire protocol. */
    FAILED("failed");

    private final String wireName;

    UploadState(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the name used on the wire, for example {@code "in_progress"}.
     *
     * @return the wire name, never null
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Tells whether chunks may still be added to an upload in this state.
     *
     * @return {@code true} for {@link #PENDING} and {@link #IN_PROGRESS}
     */
    public boolean isActive() {
        return this == PENDING || this == IN_PROGRESS;
    }

    /**
     * Finds the state with the given wire name.
     *
     * @param wireName a wire name such as {@code "pending"}, not null
     * @return the state
     * @throws IllegalArgumentException if no state has that wire name
     */
    public static UploadState fromWireName(String wireName) {
        for (UploadState state : values()) {
            if (state.wireName.equals(wireName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown upload state: " + wireName);
    }
}
