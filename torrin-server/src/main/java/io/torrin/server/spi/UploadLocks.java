/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.server.spi.support.LocalUploadLocks;
import java.time.Duration;

/**
 * Named shared/exclusive locks with bounded waits, as the service needs them per upload: chunk writes hold the
 * upload's key {@link LockMode#SHARED}, complete and abort hold it {@link LockMode#EXCLUSIVE}, and one chunk
 * index is written by one request at a time under the key {@code uploadId + "#" + index}.
 *
 * <p>A store that several server instances share must return locks that exclude across instances, with a lease
 * that frees the lock of a dead holder. The in-process {@link LocalUploadLocks} is right for stores that only
 * one process may open (in-memory, file).
 *
 * <p>Implementations are thread-safe. A waiting acquirer that wants {@code EXCLUSIVE} blocks new
 * {@code SHARED} acquirers of the same key, so a stream of chunk writes cannot starve a complete.
 */
public interface UploadLocks {

    /**
     * Acquires a lock, waiting at most {@code maxWait}.
     *
     * @param key the lock name, not null
     * @param mode how to hold it, not null
     * @param maxWait the longest time to wait, not null; zero means try once
     * @return the held lock; the caller closes it
     * @throws io.torrin.core.TorrinException with {@link io.torrin.core.ErrorCode#UPLOAD_LOCKED} if the lock
     *     could not be acquired in time or the thread was interrupted (the interrupt flag is kept)
     */
    UploadLock acquire(String key, LockMode mode, Duration maxWait);
}
