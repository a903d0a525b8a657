package io.torrin.core;

import java.util.Objects;

/**
 * The answer to a successful complete: the final session and where the file now is.
 *
 * @param session the session, in state {@link UploadState#COMPLETED}, not null
 * @param location where the storage put the file, not null
 */
public record CompleteResult(UploadSession session, StorageLocation location) {

    /**
     * Validates the components.
     *
     * @param session the session, in state {@link UploadState#COMPLETED}, not null
     * @param location where the storage put the file, not null
     * @throws NullPointerException if a component is null
     */
    public CompleteResult {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(location, "location");
    }

    /**
     * Returns the upload id.
     *
     * @return the id, never null
     */
    public String uploadId() {
        return session.uploadId();
    }
}
