/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

/** When the local driver forces written bytes to the disk. */
public enum Durability {
    /**
     * Force every chunk before it is acknowledged (the default): an acknowledged chunk survives a power loss.
     * Costs one {@code fdatasync} per chunk.
     */
    FSYNC_EACH_CHUNK,
    /**
     * Force only when the upload completes: acknowledged chunks survive a process crash ({@code kill -9}) but
     * a power loss may lose the most recent ones, which the client then sends again. Faster on slow disks.
     */
    FSYNC_ON_COMPLETE,
    /**
     * Never force: the operating system writes the bytes back when it chooses. Acknowledged chunks and completed
     * files survive a process crash, but a power loss or kernel crash may lose or truncate recently written data,
     * even of completed uploads (the final name is still published atomically). Matches servers that never call
     * {@code fsync} (the tus reference servers); for scratch data or storage whose write cache is protected.
     */
    NONE
}
