package io.torrin.server.store;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import java.time.Instant;
import java.util.Map;

/**
 * Rules every {@link UploadStore} applies the same way, so that implementations agree: which errors a mark on a
 * missing or finished upload raises, and how a mark changes the session.
 */
public final class UploadStores {

    private UploadStores() {
    }

    /**
     * Returns the error for an upload id the store does not know.
     *
     * @param uploadId the id, not null
     * @return a {@code UPLOAD_NOT_FOUND} exception
     */
    public static TorrinException notFound(String uploadId) {
        return new TorrinException(ErrorCode.UPLOAD_NOT_FOUND, "upload not found", Map.of("uploadId", uploadId));
    }

    /**
     * Checks that chunks may still be added to an upload.
     *
     * @param session the session, not null
     * @throws TorrinException with {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} (or
     *     {@code INVALID_REQUEST} for {@code FAILED}) if the upload is not active
     */
    public static void requireActive(UploadSession session) {
        switch (session.state()) {
            case PENDING, IN_PROGRESS -> {
            }
            case COMPLETED -> throw new TorrinException(ErrorCode.UPLOAD_ALREADY_COMPLETED,
                    "upload is already completed", Map.of("uploadId", session.uploadId()));
            case CANCELED -> throw new TorrinException(ErrorCode.UPLOAD_CANCELED,
                    "upload was canceled", Map.of("uploadId", session.uploadId()));
            case FAILED -> throw new TorrinException(ErrorCode.INVALID_REQUEST,
                    "upload has failed", Map.of("uploadId", session.uploadId()));
        }
    }

    /**
     * Returns the session as it is after a chunk was marked: {@code IN_PROGRESS}, expiry raised to
     * {@code expiresAt} if that is later.
     *
     * @param session the active session, not null
     * @param expiresAt the expiry the activity earns, not null
     * @return the changed session, or {@code session} itself if nothing changes
     */
    public static UploadSession afterMark(UploadSession session, Instant expiresAt) {
        Instant expiry = expiresAt.isAfter(session.expiresAt()) ? expiresAt : session.expiresAt();
        if (session.state() == UploadState.IN_PROGRESS && expiry.equals(session.expiresAt())) {
            return session;
        }
        return session.withState(UploadState.IN_PROGRESS, expiry);
    }
}
