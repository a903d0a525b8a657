/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadState;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The base of every {@link UploadStore} that ships with Torrin, and the one to extend for a new backend: it checks
 * the arguments of each method once, exactly as the {@link UploadStore} contract states them, refuses calls after
 * {@link #close()}, and leaves only the backend's work to the subclass (the {@code do…} methods, which may assume
 * valid, non-null arguments).
 *
 * <p>The rules that decide an operation's outcome on a stored record ({@link UploadStores#mark},
 * {@link UploadStores#advance}, {@link UploadStores#requireActive}) are in {@link UploadStores}, for backends that
 * apply them under their own lock or transaction.
 *
 * <p>Thread-safe if the subclass is.
 */
public abstract class AbstractUploadStore implements UploadStore {

    private volatile boolean closed;

    /** Creates an open store. */
    protected AbstractUploadStore() {}

    @Override
    public final void create(UploadRecord record) {
        Objects.requireNonNull(record, "record");
        requireOpen();
        doCreate(record);
    }

    @Override
    public final Optional<UploadRecord> find(String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireOpen();
        return doFind(uploadId);
    }

    @Override
    public final boolean markChunkReceived(String uploadId, int index, Instant expiresAt) {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must not be negative: " + index);
        }
        requireOpen();
        return doMarkChunkReceived(uploadId, index, expiresAt);
    }

    @Override
    public final boolean advanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(fileSize, "fileSize");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (expectedOffset < 0 || newOffset < expectedOffset) {
            throw new IllegalArgumentException("offsets out of order: " + expectedOffset + " -> " + newOffset);
        }
        if (fileSize.isPresent() && fileSize.getAsLong() < 0) {
            throw new IllegalArgumentException("fileSize must not be negative: " + fileSize.getAsLong());
        }
        requireOpen();
        return doAdvanceOffset(uploadId, expectedOffset, newOffset, fileSize, expiresAt);
    }

    @Override
    public final boolean transition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location) {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(location, "location");
        requireOpen();
        return doTransition(uploadId, expected, next, expiresAt, location);
    }

    @Override
    public final boolean delete(String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        requireOpen();
        return doDelete(uploadId);
    }

    @Override
    public final List<UploadRecord> findExpired(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        requireOpen();
        return doFindExpired(now, limit);
    }

    /**
     * Closes the store once: later calls do nothing, and every other method fails with
     * {@link IllegalStateException} afterwards. Calls {@link #doClose()} the first time.
     */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        doClose();
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    protected final boolean isClosed() {
        return closed;
    }

    /**
     * Fails if the store is closed; subclasses call it where an operation must not start after a close that ran
     * while it waited for a lock.
     *
     * @throws IllegalStateException if the store is closed
     */
    protected final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the upload store " + this + " is closed");
        }
    }

    /**
     * Saves a new upload, as {@link UploadStore#create}.
     *
     * @param record the record
     */
    protected abstract void doCreate(UploadRecord record);

    /**
     * Reads an upload, as {@link UploadStore#find}.
     *
     * @param uploadId the id
     * @return the record, or empty
     */
    protected abstract Optional<UploadRecord> doFind(String uploadId);

    /**
     * Marks a chunk, as {@link UploadStore#markChunkReceived}; the index is not negative (its upper bound needs
     * the record, so the subclass checks it, usually through {@link UploadStores#mark}).
     *
     * @param uploadId the id
     * @param index the chunk index, at least 0
     * @param expiresAt the expiry the activity earns
     * @return whether the bit was newly set
     */
    protected abstract boolean doMarkChunkReceived(String uploadId, int index, Instant expiresAt);

    /**
     * Advances an append upload's offset, as {@link UploadStore#advanceOffset}; the offsets are in order and the
     * size, if given, is not negative.
     *
     * @param uploadId the id
     * @param expectedOffset the offset the caller read, at least 0
     * @param newOffset the new offset, at least {@code expectedOffset}
     * @param fileSize the declared size, or empty
     * @param expiresAt the expiry the activity earns
     * @return whether it was recorded
     */
    protected abstract boolean doAdvanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt);

    /**
     * Changes an upload's state, as {@link UploadStore#transition}.
     *
     * @param uploadId the id
     * @param expected the state the caller read
     * @param next the new state
     * @param expiresAt the new expiry
     * @param location the location to save, or empty
     * @return whether the state was changed
     */
    protected abstract boolean doTransition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location);

    /**
     * Removes an upload, as {@link UploadStore#delete}.
     *
     * @param uploadId the id
     * @return whether it existed
     */
    protected abstract boolean doDelete(String uploadId);

    /**
     * Finds expired uploads, as {@link UploadStore#findExpired}; {@code limit} is at least 1.
     *
     * @param now the reference time
     * @param limit the most records to return
     * @return up to {@code limit} records, earliest expiry first
     */
    protected abstract List<UploadRecord> doFindExpired(Instant now, int limit);

    /** Releases what the store opened itself; called once, by the first {@link #close()}. Does nothing by default. */
    protected void doClose() {}
}
