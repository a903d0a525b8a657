/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a {@link HealthCheck}: up or down, with details for operators (a directory, free bytes, the
 * reason of a failure). Never holds credentials. Immutable.
 *
 * @param status up or down, not null
 * @param details what was checked and found, in order; values are strings, numbers or booleans; not null
 */
public record Health(Status status, Map<String, Object> details) {

    /**
     * Validates and copies the components.
     *
     * @param status up or down, not null
     * @param details what was checked, not null
     * @throws NullPointerException if a component is null
     */
    public Health {
        Objects.requireNonNull(status, "status");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A working backend.
     *
     * @param details what was checked, not null
     * @return the result
     */
    public static Health up(Map<String, Object> details) {
        return new Health(Status.UP, details);
    }

    /**
     * A backend that does not work.
     *
     * @param reason why, for operators, not null
     * @param details what was checked, not null
     * @return the result, its details led by {@code error}
     */
    public static Health down(String reason, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("error", Objects.requireNonNull(reason, "reason"));
        all.putAll(details);
        return new Health(Status.DOWN, all);
    }

    /**
     * Tells whether the backend works.
     *
     * @return {@code true} for {@link Status#UP}
     */
    public boolean isUp() {
        return status == Status.UP;
    }

    /** Up or down. */
    public enum Status {
        /** The backend works. */
        UP,
        /** The backend does not work; the details say why. */
        DOWN
    }
}
