/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import io.torrin.core.AppendStatus;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/** Helpers for tests that look behind a tus URL into the {@link UploadService} that serves it. */
public final class TusUploads {

    private TusUploads() {}

    /**
     * Returns the upload id in a tus upload URL: its last path segment, as {@code TusProtocolHandler} builds it.
     *
     * @param uploadUrl the upload's URL, not null
     * @return the id
     */
    public static String uploadId(URI uploadUrl) {
        String path = uploadUrl.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Returns the service's view of the upload behind a tus URL.
     *
     * @param service the service serving the URL, not null
     * @param uploadUrl the upload's URL, not null
     * @return its status (as {@link io.torrin.server.AppendUploads#getStatus} with no caller)
     */
    public static AppendStatus status(UploadService service, URI uploadUrl) {
        return service.appends().getStatus(uploadId(uploadUrl), RequestContext.none());
    }

    /**
     * Reads the bytes the service stored for the completed upload behind a URL, through its storage driver's
     * reading capability ({@link UploadService#downloads()}, as no caller).
     *
     * @param service the service serving the URL, not null; its storage must read completed files
     * @param uploadUrl the upload's URL, not null
     * @return the bytes, or empty if the upload is not completed
     * @throws IOException if reading fails
     */
    public static Optional<byte[]> storedBytes(UploadService service, URI uploadUrl) throws IOException {
        if (status(service, uploadUrl).location().isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = service.downloads()
                .open(uploadId(uploadUrl), RequestContext.none())
                .open()) {
            return Optional.of(in.readAllBytes());
        }
    }
}
