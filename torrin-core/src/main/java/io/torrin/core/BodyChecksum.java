/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A checksum a client sent for a request body. The expected digest may only be known after the body was read (an
 * HTTP trailer), possibly with its algorithm, so the service digests the body with every algorithm listed and asks
 * for the expected value once, after the body ended.
 *
 * @param algorithms the {@link java.security.MessageDigest} algorithm names the expected value may use, for
 *     example {@code SHA-256}, not null, at least one; copied
 * @param expected supplies the expected algorithm and digest once the body has been read, or empty if the client
 *     did not send it after all (a missing trailer); not null
 */
public record BodyChecksum(List<String> algorithms, Supplier<Optional<Expected>> expected) {

    /**
     * Validates and copies the components.
     *
     * @param algorithms the {@link java.security.MessageDigest} algorithm names the expected value may use, for
     *     example {@code SHA-256}, not null, at least one; copied
     * @param expected supplies the expected algorithm and digest once the body has been read, or empty if the client
     *     did not send it after all (a missing trailer); not null
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if no algorithm is given
     */
    public BodyChecksum {
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm is required");
        }
        Objects.requireNonNull(expected, "expected");
    }

    /**
     * Creates a checksum whose algorithm and digest are known up front (a request header).
     *
     * @param algorithm the algorithm name, not null
     * @param digest the expected digest, not null; copied
     * @return the checksum
     */
    public static BodyChecksum of(String algorithm, byte[] digest) {
        Expected value = new Expected(algorithm, digest);
        return new BodyChecksum(List.of(algorithm), () -> Optional.of(value));
    }

    /**
     * An expected digest.
     *
     * @param algorithm the algorithm name, not null
     * @param digest the digest bytes, not null; copied
     */
    public record Expected(String algorithm, byte[] digest) {

        /**
         * Validates and copies the components.
         *
         * @param algorithm the algorithm name, not null
         * @param digest the digest bytes, not null; copied
         * @throws NullPointerException if a component is null
         */
        public Expected {
            Objects.requireNonNull(algorithm, "algorithm");
            digest = digest.clone();
        }

        /**
         * Returns the digest bytes.
         *
         * @return a copy of the digest
         */
        @Override
        public byte[] digest() {
            return digest.clone();
        }
    }
}
