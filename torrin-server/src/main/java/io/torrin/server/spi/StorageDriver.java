/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.io.IOException;
import java.util.Map;

/**
 * Where an upload's bytes go: the SPI behind local disk, S3 and the in-memory reference driver.
 *
 * <p>The service calls a driver in this order for one upload: {@link #begin} once; {@link #writeChunk} any
 * number of times, for any chunks, in any order and in parallel (but never twice at once for the same chunk);
 * then either {@link #complete} or {@link #abort}. The service holds the upload's lock exclusively during
 * {@code complete} and {@code abort}, so no chunk write of the same upload runs at the same time.
 *
 * <p>Rules for implementations:
 * <ul>
 *   <li>Stream: never hold a whole chunk or file in memory (the in-memory reference driver is the exception).</li>
 *   <li>Durability: {@code writeChunk} returns only when the bytes are as durable as the driver promises; the
 *       service records the chunk as received only after that.</li>
 *   <li>Idempotence: {@code complete} and {@code abort} may be called again after a crash or a retry and must
 *       then succeed without harm; {@code abort} of an upload the driver does not know is fine.</li>
 *   <li>Containment: nothing is written outside the place the driver was configured with, whatever the file
 *       name or id.</li>
 *   <li>Errors: throw {@link IOException} (the service answers {@code STORAGE_ERROR}, upload resumable) or a
 *       {@link io.torrin.core.TorrinException} with a more precise code.</li>
 * </ul>
 * <p>Capabilities: this interface holds what every backend must do. A driver that can do more says so by also
 * implementing a capability interface, each a small interface of its own that the service discovers with
 * {@code instanceof} when it is built (never by calling a method that may throw
 * {@link UnsupportedOperationException}):
 * <ul>
 *   <li>{@link AppendableStorage}: bytes at offsets, for append uploads (tus); required by the append model;</li>
 *   <li>{@link ReadableStorage}: reading completed files (tus concatenation needs it);</li>
 *   <li>{@link StagedReadableStorage}: reading the assembled bytes before completion (whole-file hash checks).</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. Every implementation runs the {@code StorageDriverCompatibilityKit} of the
 * {@code torrin-test-kit} module, which also runs the groups of the capabilities it declares. The service never closes a driver, and a driver never closes the clients it
 * was given.
 */
public interface StorageDriver {

    /**
     * Returns the chunk limits of this backend.
     *
     * @return the constraints, never null; the same on every call
     */
    StorageConstraints constraints();

    /**
     * Names the kind of backend, for metric tags and health reports: {@code local}, {@code s3}, {@code memory}.
     * Low-cardinality: the same for every instance of a driver class. By default the class's simple name in
     * lower case without a {@code StorageDriver} or {@code Storage} suffix.
     *
     * @return the kind, not blank
     */
    default String kind() {
        return Kinds.of(getClass(), "StorageDriver", "Storage");
    }

    /**
     * Prepares storage for a new upload.
     *
     * @param session the new upload's session, not null
     * @return the driver's state for this upload (for example a staging name or a multipart upload id), not
     *     null, possibly empty; the store keeps it and passes it back in {@link StorageUpload#storageState()}
     * @throws IOException if the backend failed
     */
    Map<String, String> begin(UploadSession session) throws IOException;

    /**
     * Stores one chunk, reading {@link ChunkWrite#data()} to its end.
     *
     * @param write the chunk, not null
     * @throws IOException if the backend failed or {@code data} failed; nothing is recorded then
     */
    void writeChunk(ChunkWrite write) throws IOException;

    /**
     * Makes a fully received upload final: the file appears at its final place in one step.
     *
     * @param upload the upload, not null; all chunks are stored
     * @return where the file now is, never null
     * @throws IOException if the backend failed; the upload must then stay completable
     */
    StorageLocation complete(StorageUpload upload) throws IOException;

    /**
     * Discards an unfinished upload's data. Idempotent.
     *
     * @param upload the upload, not null
     * @throws IOException if the backend failed
     */
    void abort(StorageUpload upload) throws IOException;
}
