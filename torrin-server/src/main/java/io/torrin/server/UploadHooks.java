/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.CompleteResult;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.UploadSession;
import java.util.Map;

/**
 * Blocking callbacks that run before each operation, for authorization, validation and metadata rewriting. A
 * hook rejects an operation by throwing a {@link io.torrin.core.TorrinException}, typically with
 * {@code UNAUTHORIZED}, {@code FORBIDDEN} or {@code INVALID_REQUEST}; the caller gets exactly that error and
 * nothing changes. Any other exception is answered as {@code INTERNAL_ERROR}.
 *
 * <p>Hooks run on the request's thread, in the order they were added to the service, after the service's own
 * input validation. {@link #beforeChunk}, {@link #beforeComplete} and {@link #beforeAbort} run while the upload
 * is locked, so keep them fast. Implementations must be thread-safe. Every method has a do-nothing default.
 *
 * <pre>{@code
 * UploadHooks onlyOwner = new UploadHooks() {
 *     public void beforeChunk(UploadSession session, int index, RequestContext context) {
 *         String owner = session.metadata().get("owner");
 *         String caller = context.principal().map(Principal::getName).orElse(null);
 *         if (!Objects.equals(owner, caller)) {
 *             throw new TorrinException(ErrorCode.FORBIDDEN, "not your upload");
 *         }
 *     }
 * };
 * }</pre>
 */
public interface UploadHooks {

    /**
     * Runs before an upload is created; may rewrite the request (file name, MIME type, metadata, chunk wish).
     * The service validates the returned request again.
     *
     * @param request the validated request, not null
     * @param context the caller, not null
     * @return the request to go on with, not null
     */
    default InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
        return request;
    }

    /**
     * Runs before a chunk is stored.
     *
     * @param session the upload, not null
     * @param index the chunk index, in range
     * @param context the caller, not null
     */
    default void beforeChunk(UploadSession session, int index, RequestContext context) {}

    /**
     * Called before bytes are appended to an append upload (a tus {@code PATCH}), after the upload was found
     * active and the offset checked. By default it calls {@link #beforeChunk} with the index of the chunk the
     * offset falls in (0 while the upload has no size or no chunks, the last chunk at the end), so that a hook
     * written for chunks also guards appends.
     *
     * @param session the upload, not null
     * @param offset where the bytes go
     * @param context the caller, not null
     * @throws io.torrin.core.TorrinException to refuse the append
     */
    default void beforeAppend(UploadSession session, long offset, RequestContext context) {
        int last = Math.max(0, session.totalChunks() - 1);
        beforeChunk(session, (int) Math.min(last, offset / session.chunkSize()), context);
    }

    /**
     * Runs before a status is reported.
     *
     * @param session the upload, not null
     * @param context the caller, not null
     */
    default void beforeStatus(UploadSession session, RequestContext context) {}

    /**
     * Runs before an upload is completed (after the check that no chunk is missing).
     *
     * @param session the upload, not null
     * @param context the caller, not null
     */
    default void beforeComplete(UploadSession session, RequestContext context) {}

    /**
     * Runs before an upload is aborted.
     *
     * @param session the upload, not null
     * @param context the caller, not null
     */
    default void beforeAbort(UploadSession session, RequestContext context) {}

    /**
     * Runs before a completed upload is read back ({@link Downloads#open}, the download routes of the protocols):
     * the place to decide who may read what. By default it runs {@link #beforeStatus}, so a hook that guards an
     * upload's status also guards its bytes; a service without hooks lets anyone who knows an upload's id (at least
     * 128 random bits) download it.
     *
     * @param session the completed upload, not null
     * @param context the caller, not null
     * @throws io.torrin.core.TorrinException to refuse the download ({@code FORBIDDEN}, {@code UNAUTHORIZED}, or
     *     {@code UPLOAD_NOT_FOUND} to hide that the upload exists)
     */
    default void beforeDownload(UploadSession session, RequestContext context) {
        beforeStatus(session, context);
    }

    /**
     * Runs after an upload was completed (both models), on the request that completed it, and may add fields to
     * that request's answer: for example the URL where the application serves the file, or an id of its own.
     * The Torrin protocol adds each field as a string property of the completion's JSON; tus adds each as a
     * response header of the request that completed the upload (the last {@code PATCH}, or the creation that
     * carried all bytes). Field names must be 1 to 64 letters, digits, {@code -} or {@code _}, starting with a
     * letter; values must be printable ASCII (no line breaks); a field that breaks these rules, or has the name of
     * a protocol field or header ({@code uploadId}, {@code status}, {@code Upload-Offset}, ...), is left out with a
     * warning. Later hooks override earlier ones' fields of the same name.
     *
     * <p>The upload is already completed when this runs: an exception is logged and the answer goes out without
     * this hook's fields. The fields are not stored; a later status request does not repeat them.
     *
     * @param result the completed upload, not null
     * @param context the caller, not null
     * @return the fields to add, not null; empty by default
     */
    default Map<String, String> afterComplete(CompleteResult result, RequestContext context) {
        return Map.of();
    }
}
