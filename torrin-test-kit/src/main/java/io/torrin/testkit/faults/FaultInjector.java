/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.faults;

import jakarta.servlet.Filter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Rules that inject HTTP faults into requests, and the servlet filter that applies them ({@link #filter()}). At
 * most one rule fires per request: the first that matches and whose dice roll hits. Controlled from Java:
 *
 * <pre>{@code
 * FaultInjector faults = new FaultInjector(42);
 * faults.on("PUT", ".+/chunks/[0-9]+").times(3).fail(503, Duration.ofSeconds(1));
 * faults.on("PUT", ".+/chunks/[0-9]+").probability(0.1).dropAfterBody();
 * context.addFilter(new FilterHolder(faults.filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>and, when the filter is built with {@link #filter(String)}, by HTTP at that path: {@code POST} a rule as JSON
 * ({@code {"method": "PUT", "path": ".+/chunks/[0-9]+", "fault": "FAIL", "status": 503, "retryAfterSeconds": 1,
 * "times": 3, "probability": 1.0, "minDelayMillis": 0, "maxDelayMillis": 0}}), {@code DELETE} to remove every rule,
 * {@code GET} for the rules and their counts. A test tool: never register it in production. Thread-safe.
 */
public final class FaultInjector {

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Random random;

    /**
     * Creates an injector whose dice are seeded, so that a failing test can be run again the same way.
     *
     * @param seed the random seed
     */
    public FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Starts a rule for requests with a method (exact token, or null for any) and a path matching a regular
     * expression.
     *
     * @param method the method, or null for any
     * @param pathRegex a regular expression the whole path (without the query) must match, not null
     * @return a rule builder; the rule takes effect when its fault is chosen
     */
    public RuleBuilder on(String method, String pathRegex) {
        return new RuleBuilder(method, Pattern.compile(Objects.requireNonNull(pathRegex, "pathRegex")));
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
    }

    /**
     * Returns the rules in order.
     *
     * @return an unmodifiable snapshot
     */
    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /**
     * Returns how often rules injected a fault of a kind.
     *
     * @param fault the kind
     * @return the count over all rules
     */
    public int injected(Fault fault) {
        return rules.stream()
                .filter(rule -> rule.fault() == fault)
                .mapToInt(FaultRule::fired)
                .sum();
    }

    /**
     * Returns a filter that applies the rules.
     *
     * @return the filter
     */
    public Filter filter() {
        return new FaultFilter(this, null);
    }

    /**
     * Returns a filter that applies the rules and serves the control endpoint at a path.
     *
     * @param controlPath the request path (context path included) of the control endpoint, not null
     * @return the filter
     */
    public Filter filter(String controlPath) {
        return new FaultFilter(this, Objects.requireNonNull(controlPath, "controlPath"));
    }

    FaultRule pick(String method, String path) {
        for (FaultRule rule : rules) {
            if (rule.matches(method, path)) {
                double roll;
                synchronized (random) {
                    roll = random.nextDouble();
                }
                if (rule.fire(roll)) {
                    return rule;
                }
            }
        }
        return null;
    }

    int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    FaultRule add(FaultRule rule) {
        rules.add(rule);
        return rule;
    }

    /** Builds one rule; finish with the fault to inject. */
    public final class RuleBuilder {

        private final String method;
        private final Pattern path;
        private double probability = 1;
        private int times;

        private RuleBuilder(String method, Pattern path) {
            this.method = method;
            this.path = path;
        }

        /**
         * Sets the chance that a matching request gets the fault (default 1).
         *
         * @param chance from 0 to 1
         * @return this builder
         */
        public RuleBuilder probability(double chance) {
            if (!(chance >= 0 && chance <= 1)) {
                throw new IllegalArgumentException("probability must be within [0, 1]: " + chance);
            }
            this.probability = chance;
            return this;
        }

        /**
         * Limits the rule to its first {@code count} faults (default: no limit).
         *
         * @param count at least 1
         * @return this builder
         */
        public RuleBuilder times(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("times must be at least 1: " + count);
            }
            this.times = count;
            return this;
        }

        /**
         * Answers matching requests with a status and a Torrin error body, without passing them on.
         *
         * @param status the HTTP status, 400 to 599
         * @param retryAfter the {@code Retry-After} to send, or null for none
         * @return the rule
         */
        public FaultRule fail(int status, Duration retryAfter) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be an error status: " + status);
            }
            return add(new FaultRule(method, path, probability, times, Fault.FAIL, status, retryAfter, null, null));
        }

        /**
         * Delays matching requests by a random time within a range, then passes them on.
         *
         * @param min the shortest delay, not negative
         * @param max the longest delay, not shorter than {@code min}
         * @return the rule
         */
        public FaultRule delay(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("need 0 <= min <= max");
            }
            return add(new FaultRule(method, path, probability, times, Fault.DELAY, 0, null, min, max));
        }

        /**
         * Breaks the connection of matching requests before their body is read.
         *
         * @return the rule
         */
        public FaultRule dropBeforeBody() {
            return add(new FaultRule(method, path, probability, times, Fault.DROP_BEFORE_BODY, 0, null, null, null));
        }

        /**
         * Lets the server handle matching requests in full, then breaks the connection instead of answering.
         *
         * @return the rule
         */
        public FaultRule dropAfterBody() {
            return add(new FaultRule(method, path, probability, times, Fault.DROP_AFTER_BODY, 0, null, null, null));
        }

        /**
         * Makes the body of matching requests break off with an I/O error after a random part of it.
         *
         * @return the rule
         */
        public FaultRule cutBody() {
            return add(new FaultRule(method, path, probability, times, Fault.CUT_BODY, 0, null, null, null));
        }

        /**
         * Changes one random byte of the body of matching requests.
         *
         * @return the rule
         */
        public FaultRule corruptBody() {
            return add(new FaultRule(method, path, probability, times, Fault.CORRUPT_BODY, 0, null, null, null));
        }
    }
}
