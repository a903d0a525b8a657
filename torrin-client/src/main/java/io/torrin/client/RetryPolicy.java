/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a request that failed in a way a retry can cure is sent again: at most
 * {@code maxAttempts} times in all, waiting between attempts an exponentially growing delay ({@code initialDelay},
 * times {@code multiplier} per attempt, at most {@code maxDelay}) with full jitter (a uniformly random part of it),
 * or what the server's {@code Retry-After} asks for when that is longer (up to {@code maxDelay}). Immutable and
 * thread-safe.
 *
 * <p>What counts as curable is decided by the client, not the policy: network errors and timeouts, {@code 423
 * UPLOAD_LOCKED}, {@code 429}, {@code 5xx}, a {@code STORAGE_ERROR} the server calls retryable, and, for a chunk,
 * a size or hash mismatch (the bytes changed on the way; the chunk is read from the file again).
 *
 * @param maxAttempts attempts per request, the first included; at least 1
 * @param initialDelay the delay before the second attempt, before jitter; not negative
 * @param maxDelay the longest delay; not shorter than {@code initialDelay}
 * @param multiplier how much the delay grows per attempt; at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {

    /**
     * Validates the components.
     *
     * @param maxAttempts attempts per request, the first included; at least 1
     * @param initialDelay the delay before the second attempt, before jitter; not negative
     * @param maxDelay the longest delay; not shorter than {@code initialDelay}
     * @param multiplier how much the delay grows per attempt; at least 1
     * @throws IllegalArgumentException if a component is out of range
     * @throws NullPointerException if a duration is null
     */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
    }

    /**
     * The default: 8 attempts, 200 ms growing twofold to at most 10 s (about 25 s of waiting at most per request).
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10), 2);
    }

    /**
     * No retries: every failure fails the upload.
     *
     * @return a policy of one attempt
     */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1);
    }

    /**
     * Returns a copy with another number of attempts.
     *
     * @param attempts attempts per request, at least 1
     * @return the new policy
     */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialDelay, maxDelay, multiplier);
    }

    /**
     * The delay before attempt {@code failedAttempts + 1}.
     *
     * @param failedAttempts how many attempts failed so far, at least 1
     * @param retryAfter what the server asked for, or null
     * @return the delay, never longer than {@code maxDelay}
     */
    Duration delay(int failedAttempts, Duration retryAfter) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        long capped = (long) Math.min(base, maxDelay.toMillis());
        long jittered = capped == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped + 1);
        long wanted = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(Math.min(wanted, maxDelay.toMillis()));
    }
}
