package io.torrin.server.spi;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import java.io.IOException;
import java.io.InputStream;
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
 * Implementations are thread-safe. Every implementation runs the {@code StorageDriverCompatibilityKit} of the
 * {@code torrin-test-kit} module. The service never closes a driver, and a driver never closes the clients it
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
     * Stores the bytes of an append upload (the offset-based model of tus) at {@link AppendWrite#offset()},
     * reading {@link AppendWrite#data()} to its end. The service holds the upload exclusively, so appends of one
     * upload never overlap, and records the returned count as the new offset only after this method returns.
     *
     * <p>The returned count says how many bytes from {@code offset} are now as durable as the driver promises:
     * all bytes read, unless the body ended early and the backend cannot keep an unfinished piece (an S3 part
     * that was being streamed is lost then, and the count stops before it). Bytes stored beyond the recorded
     * offset, by an append whose outcome was not recorded, are overwritten by later appends. When the offset
     * reaches the size, {@link #complete} follows.
     *
     * @param write the append, not null
     * @return the count of durably stored bytes, between 0 and the count read
     * @throws PartialAppendException if the backend failed after some of the bytes were stored durably; the service
     *     records those and answers with a retryable error
     * @throws IOException if the backend failed before anything was stored; the service records nothing then
     * @throws UnsupportedOperationException if this backend does not support append uploads (the default)
     */
    default long append(AppendWrite write) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support append uploads");
    }

    /**
     * Opens a completed file for reading, for example to concatenate finished uploads into a new one. The caller
     * closes the stream.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @return the file's bytes
     * @throws IOException if the backend failed or the file is gone
     * @throws UnsupportedOperationException if this backend cannot read completed files (the default)
     */
    default InputStream open(StorageLocation location) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read completed files");
    }

    /**
     * Opens the assembled bytes of an upload whose chunks are all stored, before {@link #complete}, so that the
     * service can verify a whole-file hash without finalizing. The caller closes the stream.
     *
     * @param upload the upload, not null
     * @return a stream of exactly {@code fileSize} bytes
     * @throws IOException if the backend failed
     * @throws UnsupportedOperationException if this backend cannot read unfinished uploads (the default)
     */
    default InputStream openStaged(StorageUpload upload) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read unfinished uploads");
    }

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
