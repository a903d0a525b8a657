/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A running tus 1.0 server that {@link TusBenchmark} measures: where to create uploads, how durable an acknowledged
 * PATCH is, and (optionally) where the server keeps an upload's bytes so the benchmark can check them.
 *
 * <p>The benchmark owns a target once it has been handed over: it calls {@link #close()} at the end of the run,
 * also when the run fails.
 */
public interface TusTarget extends AutoCloseable {

    /** What a server has done with the bytes of a PATCH by the time it acknowledges it. */
    enum PatchDurability {
        /** The bytes are written to the file (page cache) but not forced to disk: no fsync per PATCH. */
        NO_FSYNC_PER_PATCH("no fsync per PATCH"),
        /** The bytes are forced to disk (fsync/fdatasync) before each PATCH is acknowledged. */
        FSYNC_PER_PATCH("fsync per PATCH");

        private final String label;

        PatchDurability(String label) {
            this.label = label;
        }

        /**
         * Returns the short text printed in the benchmark's output.
         *
         * @return e.g. {@code no fsync per PATCH}
         */
        public String label() {
            return label;
        }
    }

    /**
     * Returns the column header of this server in the result table.
     *
     * @return a short, human-readable name with the version, e.g. {@code @tus/server 2.4.5}
     */
    String name();

    /**
     * Returns the absolute creation URL (the endpoint that accepts {@code POST} with {@code Upload-Length}); it must
     * be on the loopback interface.
     *
     * @return e.g. {@code http://127.0.0.1:43117/files}
     */
    URI creationUrl();

    /**
     * Returns what an acknowledged PATCH guarantees; the benchmark compares a server only with servers of the same
     * durability.
     *
     * @return the durability of one PATCH
     */
    PatchDurability durability();

    /**
     * Returns the durability as printed under the table, with any detail worth knowing (what else is written per
     * request, when data is finally forced).
     *
     * @return by default the {@link PatchDurability#label() label}
     */
    default String durabilityNote() {
        return durability().label();
    }

    /**
     * Returns the file in which this server keeps the bytes of an upload, if it keeps them in one plain file the
     * benchmark can read; used to compare the stored bytes' SHA-256 with the bytes sent.
     *
     * @param uploadUrl the absolute upload URL returned by the creation request
     * @return the file, or empty if the server stores the bytes elsewhere or the location is unknown
     */
    default Optional<Path> storedFile(URI uploadUrl) {
        return Optional.empty();
    }

    /**
     * Tells whether this target is a ceiling (a do-nothing sink) rather than a peer: Torrin is compared with it in
     * its own column, never as "the fastest peer".
     *
     * @return {@code false} by default
     */
    default boolean isCeiling() {
        return false;
    }

    /**
     * Stops the server and releases what it holds (threads, child processes); deleting the storage directory is the
     * caller's business.
     *
     * @throws IOException if stopping fails
     */
    @Override
    void close() throws IOException;
}
