/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.UploadRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The append model of an {@link UploadService}: uploads that receive their bytes in order, at offsets, as tus (and
 * the IETF resumable-upload draft) send them, instead of in numbered chunks. The same engine serves both models
 * with the same hooks, events, expiry, store and storage; an append upload records one offset instead of a chunk
 * set. Obtained with {@link UploadService#appends()}, which requires a driver that implements
 * {@link AppendableStorage}.
 *
 * <pre>{@code
 * AppendUploads appends = service.appends();
 * AppendStatus created = appends.initUpload(InitUploadRequest.builder().fileSize(size).build(), Map.of(), context);
 * AppendStatus status = appends.append(new AppendRequest(created.uploadId(), 0, OptionalLong.of(size),
 *         OptionalLong.empty(), Optional.empty(), body), context);   // completed once the offset reaches the size
 * }</pre>
 *
 * <p>Stalled requests: an append or terminate that waits for the upload's lock ends an append of the same upload
 * that is running on this instance (a client resuming beside its own half-open connection), after the status hooks
 * accepted the caller; {@link #interruptAppend} does the same on request. The ended append keeps and records what
 * it stored.
 *
 * <p>Thread-safe. Every method throws {@link IllegalStateException} once the service is closed.
 */
public final class AppendUploads {

    /**
     * The attribute of a concatenated append upload that lists the uploads it is made of, as ids separated by
     * single spaces, in order. See {@link #concatenate}.
     */
    public static final String PARTS_ATTRIBUTE = "torrin.parts";

    private final Engine engine;
    private final AppendOperations operations;
    private final RunningWrites running;
    private final Optional<Concatenation> concatenation;

    AppendUploads(Engine engine, AppendableStorage storage, RunningWrites running) {
        this.engine = engine;
        this.running = running;
        this.operations = new AppendOperations(engine, storage, running);
        this.concatenation = storage instanceof ReadableStorage readable
                ? Optional.of(new Concatenation(engine, operations, readable))
                : Optional.empty();
    }

    /**
     * Tells whether {@link #concatenate} is available: it is when the driver can read completed files
     * ({@link ReadableStorage}).
     *
     * @return whether uploads can be concatenated
     */
    public boolean supportsConcatenation() {
        return concatenation.isPresent();
    }

    /**
     * Creates an append upload. Runs the init hooks like {@link UploadService#initUpload}. The size may be omitted
     * (declared later by an append) and may be zero (the upload is then completed at once).
     *
     * @param request the request, not null; {@code fileSize} is optional here
     * @param attributes protocol facts to keep with the upload (returned by {@link #getStatus}), not null
     * @param context the caller, not null
     * @return the new upload's status: offset 0, or completed for an empty file
     * @throws TorrinException as {@link UploadService#initUpload} (a missing size is allowed)
     */
    public AppendStatus initUpload(InitUploadRequest request, Map<String, String> attributes, RequestContext context) {
        return engine.observe(UploadOperation.INIT, Optional.empty(), UploadService.required(context), trace -> {
            AppendStatus status = operations.initUpload(request, attributes, context);
            trace.uploadId(status.uploadId());
            return status;
        });
    }

    /**
     * Appends bytes at the upload's current offset. Reads the request's stream to its end; does not close it. Holds
     * the upload exclusively meanwhile. Runs {@link UploadHooks#beforeAppend}.
     *
     * <p>Outcome: without a checksum, every byte that reached storage before the body ended counts, also when the
     * client broke off (the returned status is then only informative). With a checksum, the bytes count only if the
     * whole body arrived and matches; otherwise the offset stays where it was. When the offset reaches the size,
     * the upload is completed in the same call (the complete hooks run, a {@code COMPLETED} event follows).
     *
     * @param request the append, not null
     * @param context the caller, not null
     * @return the status after the append
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id, a chunked upload, a size that cannot be
     *     declared, or a checksum trailer that did not come; {@code UPLOAD_NOT_FOUND} (also expired);
     *     {@code UPLOAD_ALREADY_COMPLETED}; {@code UPLOAD_CANCELED}; {@code FORBIDDEN} for a concatenated upload;
     *     {@code OFFSET_MISMATCH} with the current offset; {@code PAYLOAD_TOO_LARGE} for bytes past the size;
     *     {@code FILE_TOO_LARGE} for a size above the maximum; {@code CHUNK_HASH_MISMATCH};
     *     {@code UPLOAD_LOCKED}; a hook's error; {@code STORAGE_ERROR}. In every error case the offset is
     *     unchanged, except for the bytes a failing storage had already made durable (without a checksum).
     */
    public AppendStatus append(AppendRequest request, RequestContext context) {
        Objects.requireNonNull(request, "request");
        return engine.observe(
                UploadOperation.APPEND,
                Optional.ofNullable(request.uploadId()),
                UploadService.required(context),
                trace -> operations.append(request, context));
    }

    /**
     * Reports an upload's offset, size and state. Completes an upload whose bytes are all stored but whose
     * completion failed earlier; for a concatenated upload whose parts have all completed, copies them first
     * (unless another request is doing so right now: the upload is then reported as unfinished at once). Runs the
     * status hooks; does not extend the expiry; does not end a running append (see {@link #interruptAppend}).
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return the status, in any state
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id or a chunked upload;
     *     {@code UPLOAD_NOT_FOUND} (also expired, with {@code reason=expired}); a hook's error;
     *     {@code STORAGE_ERROR}
     */
    public AppendStatus getStatus(String uploadId, RequestContext context) {
        return engine.observe(
                UploadOperation.STATUS,
                Optional.ofNullable(uploadId),
                UploadService.required(context),
                trace -> status(uploadId, context));
    }

    private AppendStatus status(String uploadId, RequestContext context) {
        engine.requireOpen();
        UploadRecord record = engine.load(Validation.uploadId(uploadId));
        AppendOperations.requireAppend(record);
        engine.hooks.run(hook -> hook.beforeStatus(record.session(), context));
        if (Concatenation.isConcatenated(record) && concatenation.isPresent()) {
            return concatenation.get().getStatus(record, context);
        }
        return operations.getStatus(record, context);
    }

    /**
     * Creates an append upload made of other append uploads, in order (tus concatenation). If all parts are
     * completed the bytes are copied at once and the new upload is completed; otherwise that happens when its
     * status is asked for after the last part completed. The parts stay as they are. If a part can no longer
     * complete (terminated, expired or removed before the copy), the new upload is canceled (an {@code ABORTED}
     * event, no hooks: nobody asked for it) when its status is next asked for.
     *
     * @param request the new upload's description, not null; its {@code fileSize} must be absent
     * @param partIds the ids of the parts, in order, at least one, not null
     * @param attributes protocol facts to keep with the upload, not null; {@link #PARTS_ATTRIBUTE} is added
     * @param context the caller, not null
     * @return the new upload's status
     * @throws TorrinException {@code INVALID_REQUEST} if a part is unknown, expired, canceled or not an append
     *     upload, or a size was given; {@code FILE_TOO_LARGE} if the parts add up to more than the maximum;
     *     {@code STORAGE_ERROR}; what {@link #initUpload} throws
     * @throws UnsupportedOperationException if {@link #supportsConcatenation()} is {@code false}
     */
    public AppendStatus concatenate(
            InitUploadRequest request, List<String> partIds, Map<String, String> attributes, RequestContext context) {
        Concatenation concatenating =
                concatenation.orElseThrow(() -> new UnsupportedOperationException("the storage driver "
                        + engine.storageClass.getSimpleName() + " cannot read completed files ("
                        + ReadableStorage.class.getSimpleName() + "), so it cannot concatenate uploads"));
        return engine.observe(UploadOperation.CONCATENATE, Optional.empty(), UploadService.required(context), trace -> {
            AppendStatus status = concatenating.concatenate(request, partIds, attributes, context);
            trace.uploadId(status.uploadId());
            return status;
        });
    }

    /**
     * Ends an upload in any state, as the tus termination extension asks: an unfinished upload is aborted like
     * {@link UploadService#abortUpload}; a completed one is forgotten (it becomes {@code CANCELED}, keeps its
     * location, and an {@code ABORTED} event with the location follows) while its file stays, since the application
     * owns completed files; a canceled one is left alone (after the abort hooks had their say). A concatenated
     * upload that is not finished yet is aborted without copying its parts first.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return {@code true} if this call ended the upload, {@code false} if it was already canceled
     * @throws TorrinException as {@link UploadService#abortUpload}, except {@code UPLOAD_ALREADY_COMPLETED};
     *     {@code INVALID_REQUEST} for an upload of the chunk protocol
     */
    public boolean terminateUpload(String uploadId, RequestContext context) {
        return engine.observe(
                UploadOperation.ABORT,
                Optional.ofNullable(uploadId),
                UploadService.required(context),
                trace -> operations.terminateUpload(uploadId, context));
    }

    /**
     * Ends an append of this upload that is running on this instance, if any, keeping what it stored, and waits (at
     * most the lock timeout) until it has recorded that; a protocol calls this when a request means "the client is
     * resuming" (a tus {@code HEAD}). The status hooks ({@link UploadHooks#beforeStatus}) decide first whether the
     * caller may touch the upload at all. The running append's body ends at once if its thread is blocked in a read
     * that responds to interruption (servlet containers' reads do), else at its next read or when the container's
     * idle timeout ends the read.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return {@code true} if an append was running and has finished
     * @throws TorrinException a hook's error, or {@code UPLOAD_NOT_FOUND}; nothing is interrupted then
     */
    public boolean interruptAppend(String uploadId, RequestContext context) {
        return running.interrupt(Validation.uploadId(uploadId), uploadId, context);
    }
}
