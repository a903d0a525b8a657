/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where upload sessions live between requests: the SPI behind in-memory, file, JDBC and Redis stores.
 *
 * <p>The operations are small and atomic so that several threads, and for shared stores several server
 * instances, can use one store at once without losing an update:
 * <ul>
 *   <li>{@link #markChunkReceived} sets one bit and may extend the expiry; concurrent marks of different
 *       chunks of the same upload must all survive;</li>
 *   <li>{@link #transition} changes the state only if it still is the expected one (compare-and-set);</li>
 *   <li>once a method returns normally its effect is as durable as the store promises (the file store:
 *       survives a process kill; the in-memory store: the process lifetime).</li>
 * </ul>
 * Stores keep instants to millisecond precision at least; the service only hands them millisecond instants.
 *
 * <p>Implementations are thread-safe. Most extend {@link io.torrin.server.spi.support.AbstractUploadStore}, which
 * checks the arguments of every method once, as this contract states them. Every implementation runs the
 * {@code UploadStoreCompatibilityKit} of the {@code torrin-test-kit} module. A store does not close what it was given (a {@code DataSource}, a client);
 * {@link #close()} releases only what the store itself opened.
 */
public interface UploadStore extends AutoCloseable {

    /**
     * Saves a new upload.
     *
     * @param record the record, not null
     * @throws IllegalStateException if an upload with the same id exists
     * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the store failed
     */
    void create(UploadRecord record);

    /**
     * Reads an upload, whatever its state and expiry.
     *
     * @param uploadId the id, not null
     * @return the record, or empty if there is none
     * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the store failed
     */
    Optional<UploadRecord> find(String uploadId);

    /**
     * Records that a chunk is durably stored. Atomically: sets the chunk's bit, moves a {@code PENDING} upload to
     * {@code IN_PROGRESS}, and raises the expiry to {@code expiresAt} if that is later.
     *
     * @param uploadId the id, not null
     * @param index the chunk index, {@code 0 ≤ index < totalChunks}
     * @param expiresAt the expiry the activity earns, not null
     * @return {@code true} if the bit was newly set, {@code false} if it was set already (nothing changed then)
     * @throws io.torrin.core.TorrinException with {@code UPLOAD_NOT_FOUND} if there is no such upload,
     *     {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} if it is no longer active (nothing
     *     changes), {@code STORAGE_ERROR} if the store failed
     * @throws IllegalArgumentException if the index is out of range
     */
    boolean markChunkReceived(String uploadId, int index, Instant expiresAt);

    /**
     * Records the progress of an append upload (offset-based, as in tus). Atomically, if the stored offset is still
     * {@code expectedOffset}: sets it to {@code newOffset}, sets the size if one is given, moves a {@code PENDING}
     * upload to {@code IN_PROGRESS} and raises the expiry to {@code expiresAt} if that is later.
     *
     * @param uploadId the id, not null
     * @param expectedOffset the offset the caller read
     * @param newOffset the new offset, at least {@code expectedOffset} and at most the size
     * @param fileSize the size the client declared now, or empty to keep the stored one
     * @param expiresAt the expiry the activity earns, not null
     * @return {@code true} if recorded, {@code false} if the stored offset is another one (nothing changed)
     * @throws io.torrin.core.TorrinException with {@code UPLOAD_NOT_FOUND}, {@code UPLOAD_ALREADY_COMPLETED} or
     *     {@code UPLOAD_CANCELED} as for {@link #markChunkReceived}, {@code STORAGE_ERROR} if the store failed
     * @throws IllegalArgumentException if the upload is not an append upload, the offsets are out of order or
     *     beyond the size, or a known size would change
     */
    boolean advanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt);

    /**
     * Changes an upload's state and expiry if its state is still {@code expected}.
     *
     * @param uploadId the id, not null
     * @param expected the state the caller read, not null
     * @param next the new state, not null
     * @param expiresAt the new expiry, not null (replaces the old one, even if earlier)
     * @param location the location to save, or empty to keep the stored one
     * @return {@code true} if the state was changed, {@code false} if the upload is gone or in another state
     * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the store failed
     */
    boolean transition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location);

    /**
     * Removes an upload.
     *
     * @param uploadId the id, not null
     * @return {@code true} if it existed
     * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the store failed
     */
    boolean delete(String uploadId);

    /**
     * Finds uploads whose expiry is at or before {@code now}, in any state, earliest expiry first.
     *
     * @param now the reference time, not null
     * @param limit the most records to return, at least 1
     * @return up to {@code limit} records
     * @throws io.torrin.core.TorrinException with {@code STORAGE_ERROR} if the store failed
     */
    List<UploadRecord> findExpired(Instant now, int limit);

    /**
     * Returns the locks that go with this store: in-process for single-process stores, shared across
     * instances for shared stores. Always the same instance.
     *
     * @return the locks, never null
     */
    UploadLocks locks();

    /**
     * Names the kind of store, for metric tags and health reports: {@code memory}, {@code file}, {@code jdbc},
     * {@code redis}. Low-cardinality. By default the class's simple name in lower case without an
     * {@code UploadStore} or {@code Store} suffix.
     *
     * @return the kind, not blank
     */
    default String kind() {
        return Kinds.of(getClass(), "UploadStore", "Store");
    }

    /** Releases what the store opened itself. Idempotent. Further calls fail with {@link IllegalStateException}. */
    @Override
    default void close() {}
}
