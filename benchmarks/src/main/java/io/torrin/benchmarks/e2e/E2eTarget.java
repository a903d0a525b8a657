/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One column of the end-to-end benchmark: something that takes uploads (Torrin's server, a limit, a tus peer), seen
 * through one protocol-neutral interface so that {@link E2eBenchmark} drives every column with the same code. Each
 * client thread opens its own {@link Connection}; an upload is addressed by chunk index (a chunk of index {@code i}
 * starts at byte {@code i × chunkSize}), and a target that must receive an upload's bytes in order says so with
 * {@link #maxWritersPerUpload()} = 1.
 *
 * <p>The benchmark owns a target once started and closes it at the end, also on failure.
 */
public interface E2eTarget extends AutoCloseable {

    /** What a column is in the table. */
    enum Role {
        /** Torrin, the system measured. */
        OURS,
        /** A limit without HTTP: the same bytes written to files directly. */
        DISK_LIMIT,
        /** A limit without storage: an HTTP endpoint on the same container that discards the bytes. */
        HTTP_LIMIT,
        /** Another upload server. */
        PEER,
        /** Torrin configured otherwise (with metrics), compared with the first column. */
        VARIANT
    }

    /**
     * Returns the column header.
     *
     * @return a short name with the version where there is one
     */
    String name();

    /**
     * Returns the column's role.
     *
     * @return the role
     */
    Role role();

    /**
     * Returns what an acknowledged chunk guarantees on this target (printed under the table).
     *
     * @return one sentence
     */
    String durabilityNote();

    /**
     * Returns how many connections may write one upload at the same time.
     *
     * @return at least 1; 1 for a protocol that appends in order
     */
    int maxWritersPerUpload();

    /**
     * Tells whether an acknowledged chunk (or PATCH) is forced to disk before the answer: only columns of the same
     * durability are compared with each other.
     *
     * @return {@code false} by default (page cache only)
     */
    default boolean forcesEachRequest() {
        return false;
    }

    /**
     * Tells whether the request-rate rows apply (they do not to a target without requests).
     *
     * @return {@code true} by default
     */
    default boolean servesRequests() {
        return true;
    }

    /**
     * Opens one client connection (lazily: the first request may connect).
     *
     * @return a connection for one thread
     * @throws IOException if it cannot be opened
     */
    Connection connect() throws IOException;

    /**
     * Stops the target and releases its threads and processes; its storage directory is the caller's to delete.
     *
     * @throws IOException if stopping fails
     */
    @Override
    void close() throws IOException;

    /**
     * An upload being sent.
     *
     * @param id the target's name for it (upload id, URL or file)
     * @param size the file size
     * @param chunkSize the size of every chunk but the last
     * @param chunks the number of chunks
     * @param handle target-specific state, or {@code null}
     */
    record Upload(String id, long size, int chunkSize, int chunks, Object handle) {

        /**
         * Returns the offset of a chunk.
         *
         * @param index the chunk index
         * @return {@code index × chunkSize}
         */
        public long offset(int index) {
            return (long) index * chunkSize;
        }

        /**
         * Returns the length of a chunk.
         *
         * @param index the chunk index
         * @return {@code chunkSize}, less for the last chunk
         */
        public int length(int index) {
            return (int) Math.min(chunkSize, size - offset(index));
        }
    }

    /**
     * What finishing an upload gave.
     *
     * @param storedFile the file that holds the bytes now, if the target keeps them in one the benchmark can read
     * @param evidence what the target confirmed when finishing, for the verification lines
     */
    record Finished(Optional<Path> storedFile, String evidence) {}

    /** One client connection; not thread-safe. */
    interface Connection extends AutoCloseable {

        /**
         * Creates an upload.
         *
         * @param size the file size
         * @param chunkSize the chunk (or PATCH) size the benchmark will send
         * @return the upload
         * @throws IOException if the target refuses or answers otherwise than expected (another chunk size)
         */
        Upload create(long size, int chunkSize) throws IOException;

        /**
         * Sends one chunk and checks the answer.
         *
         * @param upload the upload
         * @param index the chunk index
         * @param body the chunk's bytes (positions are consumed)
         * @throws IOException if the request fails or the answer is not the expected one
         */
        void write(Upload upload, int index, ByteBuffer[] body) throws IOException;

        /**
         * Finishes an upload whose every chunk was sent: Torrin's {@code complete}, a tus {@code HEAD} confirming the
         * offset, closing a file.
         *
         * @param upload the upload
         * @return where the bytes are now
         * @throws IOException if the target does not confirm a whole upload
         */
        Finished finish(Upload upload) throws IOException;

        /**
         * Asks the target once what it holds of an upload (Torrin's status, tus {@code HEAD}) and checks that it is
         * exactly the first {@code chunks} chunks.
         *
         * @param upload the upload
         * @param chunks the number of chunks sent, from index 0
         * @throws IOException if the request fails or the answer differs
         */
        void expectStored(Upload upload, int chunks) throws IOException;

        /**
         * Removes an upload after a measurement: aborts an unfinished one, deletes a finished one's file.
         *
         * @param upload the upload
         * @param finished what {@link #finish} returned, or {@code null} if it was not finished
         * @throws IOException if that fails
         */
        void discard(Upload upload, Finished finished) throws IOException;

        /** Closes the connection. */
        @Override
        void close();
    }
}
