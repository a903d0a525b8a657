/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StoredFile;
import io.torrin.server.spi.UploadRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Optional;

/**
 * Reading completed uploads back, for both upload models: the engine side of the download routes of the Torrin
 * protocol and tus, and the way a batch job reads what it uploaded. Obtained with {@link UploadService#downloads()},
 * which requires a driver that implements {@link ReadableStorage}.
 *
 * <pre>{@code
 * Download download = service.downloads().open(uploadId, context);   // runs the download hooks
 * try (InputStream in = download.open()) {
 *     in.transferTo(out);
 * }
 * }</pre>
 *
 * <p>A completed upload can be read while the store keeps its record: for the service's finished retention
 * ({@link UploadServiceBuilder#finishedRetention}, 24 hours by default) after it completed. Later the record is gone
 * and the upload is {@code UPLOAD_NOT_FOUND}, while the file stays where storage put it (the application owns
 * completed files and serves them itself from then on).
 *
 * <p>Thread-safe. Every method throws {@link IllegalStateException} once the service is closed.
 */
public final class Downloads {

    private final Engine engine;
    private final ReadableStorage storage;

    Downloads(Engine engine, ReadableStorage storage) {
        this.engine = engine;
        this.storage = storage;
    }

    /**
     * Opens a completed upload for reading, after {@link UploadHooks#beforeDownload} allowed the caller. Takes no
     * lock: a completed upload's bytes no longer change.
     *
     * @param uploadId the id, not null
     * @param context the caller, not null
     * @return the download
     * @throws TorrinException {@code INVALID_REQUEST} for a malformed id; {@code UPLOAD_NOT_FOUND} for an unknown or
     *     expired upload, or one whose file storage no longer has; {@code UPLOAD_NOT_COMPLETED} for an upload that
     *     is still receiving bytes; {@code UPLOAD_CANCELED} for an aborted one; a hook's error;
     *     {@code STORAGE_ERROR}
     */
    public Download open(String uploadId, RequestContext context) {
        return engine.observe(
                UploadOperation.DOWNLOAD,
                Optional.ofNullable(uploadId),
                UploadService.required(context),
                trace -> download(uploadId, context));
    }

    private Download download(String uploadId, RequestContext context) {
        engine.requireOpen();
        String id = Validation.uploadId(uploadId);
        UploadRecord record = engine.load(id);
        UploadSession session = record.session();
        if (session.state() == UploadState.CANCELED) {
            throw new TorrinException(ErrorCode.UPLOAD_CANCELED, "the upload was canceled", Map.of("uploadId", id));
        }
        if (session.state() != UploadState.COMPLETED) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_NOT_COMPLETED, "the upload has not completed yet", Map.of("uploadId", id));
        }
        StorageLocation location = record.location()
                .orElseThrow(() -> new TorrinException(
                        ErrorCode.UPLOAD_NOT_FOUND, "the upload has no stored file", Map.of("uploadId", id)));
        engine.hooks.run(hook -> hook.beforeDownload(session, context));
        StoredFile file;
        try {
            file = storage.stat(location);
        } catch (NoSuchFileException e) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_NOT_FOUND,
                    "the upload's file is no longer in storage",
                    Map.of("uploadId", id, "reason", "removed"));
        } catch (IOException | IllegalArgumentException e) {
            throw Errors.storage("could not read the completed upload", e);
        }
        return new Download(session, location, file, storage);
    }
}
