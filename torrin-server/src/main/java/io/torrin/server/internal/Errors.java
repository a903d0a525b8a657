/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's errors in one place: the factories every operation uses (so one failure always reads the same), the
 * printable form of client input quoted in messages, and the status each protocol answers an error with. Whether an
 * error is retryable is decided by {@link TorrinException#isRetryable()} alone. Stateless and thread-safe.
 */
public final class Errors {

    private Errors() {}

    /**
     * Builds an {@code INVALID_REQUEST} error.
     *
     * @param message the message, not null
     * @param details the details, not null
     * @return the exception
     */
    public static TorrinException invalid(String message, Map<String, ?> details) {
        return new TorrinException(ErrorCode.INVALID_REQUEST, message, details);
    }

    /**
     * Builds an {@code INVALID_REQUEST} error without details.
     *
     * @param message the message, not null
     * @return the exception
     */
    public static TorrinException invalid(String message) {
        return invalid(message, Map.of());
    }

    /**
     * Builds the retryable {@code STORAGE_ERROR} of a failed backend call; the upload stays resumable.
     *
     * @param message the message, not null
     * @param cause the backend's failure, or null
     * @return the exception
     */
    public static TorrinException storage(String message, Throwable cause) {
        return new TorrinException(ErrorCode.STORAGE_ERROR, message, Map.of(), cause);
    }

    /**
     * Builds the {@code UPLOAD_NOT_FOUND} error of an upload that is stored but past its expiry.
     *
     * @param uploadId the id, not null
     * @return the exception, with {@code reason=expired}
     */
    public static TorrinException expired(String uploadId) {
        return new TorrinException(
                ErrorCode.UPLOAD_NOT_FOUND, "upload has expired", Map.of("uploadId", uploadId, "reason", "expired"));
    }

    /**
     * Builds the {@code CHUNK_SIZE_MISMATCH} error of a chunk with the wrong byte count.
     *
     * @param index the chunk index
     * @param expected the byte count it must have
     * @param actual the byte count it had or declared
     * @param cause the failure that made it short, or null
     * @return the exception
     */
    public static TorrinException sizeMismatch(int index, long expected, long actual, Throwable cause) {
        return new TorrinException(
                ErrorCode.CHUNK_SIZE_MISMATCH,
                "chunk " + index + " must have " + expected + " bytes, not " + actual,
                Map.of("index", index, "expected", expected, "actual", actual),
                cause);
    }

    /**
     * Builds the {@code CHUNK_SIZE_MISMATCH} error of a chunk whose body broke off while it streamed.
     *
     * @param index the chunk index
     * @param expected the byte count it must have
     * @param received the bytes that arrived
     * @param cause the failure of the client's stream, not null
     * @return the exception, with {@code interrupted=true}
     */
    public static TorrinException bodyBrokeOff(int index, long expected, long received, Throwable cause) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("index", index);
        details.put("expected", expected);
        details.put("actual", received);
        details.put("interrupted", true);
        return new TorrinException(
                ErrorCode.CHUNK_SIZE_MISMATCH,
                "the body of chunk " + index + " broke off after " + received + " of " + expected + " bytes",
                details,
                cause);
    }

    /**
     * Returns client input in a form safe to quote in a message or log: cut to a length, control and non-ASCII
     * characters replaced by {@code ?}, so that no input can forge log lines or headers.
     *
     * @param text the input, not null
     * @param maxLength the most characters kept; longer input is cut and marked with {@code …}
     * @return the printable text
     */
    public static String printable(String text, int maxLength) {
        String cut = text.length() > maxLength ? text.substring(0, maxLength) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7E…]", "?");
    }

    /**
     * Returns the status the tus protocol answers an error with: the code's {@link ErrorCode#tusStatus()}, except
     * that an expired upload is {@code 410 Gone}, a storage failure no retry cures is {@code 500}, and a status a
     * hook chose explicitly is kept.
     *
     * @param e the error, not null
     * @return an HTTP status between 400 and 599
     */
    public static int tusStatus(TorrinException e) {
        ErrorCode code = e.code();
        if (e.statusCode() != code.httpStatus()) {
            return e.statusCode();
        }
        if (code == ErrorCode.UPLOAD_NOT_FOUND && "expired".equals(e.details().get("reason"))) {
            return 410;
        }
        if (code == ErrorCode.STORAGE_ERROR && !e.isRetryable()) {
            return 500;
        }
        return code.tusStatus();
    }
}
