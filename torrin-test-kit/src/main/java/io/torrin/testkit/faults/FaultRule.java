/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One rule of a {@link FaultInjector}: which requests (method and a regular expression over the path, query
 * excluded), how often (a probability, and optionally at most so many times), and which fault. Thread-safe;
 * counts how often it fired.
 */
public final class FaultRule {

    private final String method;
    private final Pattern path;
    private final double probability;
    private final int times;
    private final Fault fault;
    private final int status;
    private final Duration retryAfter;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final AtomicInteger fired = new AtomicInteger();

    FaultRule(
            String method,
            Pattern path,
            double probability,
            int times,
            Fault fault,
            int status,
            Duration retryAfter,
            Duration minDelay,
            Duration maxDelay) {
        this.method = method;
        this.path = Objects.requireNonNull(path, "path");
        this.probability = probability;
        this.times = times;
        this.fault = Objects.requireNonNull(fault, "fault");
        this.status = status;
        this.retryAfter = retryAfter;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Returns the fault.
     *
     * @return the fault
     */
    public Fault fault() {
        return fault;
    }

    /**
     * Returns how often the rule fired.
     *
     * @return the count
     */
    public int fired() {
        return fired.get();
    }

    boolean matches(String requestMethod, String requestPath) {
        return (method == null || method.equals(requestMethod))
                && path.matcher(requestPath).matches();
    }

    /** Decides whether the rule fires for a matching request, and counts it if so. */
    boolean fire(double random) {
        if (random >= probability) {
            return false;
        }
        if (times <= 0) {
            fired.incrementAndGet();
            return true;
        }
        while (true) {
            int count = fired.get();
            if (count >= times) {
                return false;
            }
            if (fired.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    int status() {
        return status;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    Duration minDelay() {
        return minDelay;
    }

    Duration maxDelay() {
        return maxDelay;
    }

    @Override
    public String toString() {
        return fault + " on " + (method == null ? "*" : method) + " " + path + " p=" + probability
                + (times > 0 ? " times=" + times : "") + " fired=" + fired;
    }
}
