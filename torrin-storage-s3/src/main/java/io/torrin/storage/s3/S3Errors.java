/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Translates S3 failures. Configuration problems (missing bucket, access denied) become a non-retryable
 * {@code STORAGE_ERROR} that says what to fix; a part S3 rejects for its checksum becomes
 * {@code CHUNK_HASH_MISMATCH}; everything else (throttling, 5xx, network) becomes an {@link IOException}, which the
 * service answers as a retryable {@code STORAGE_ERROR} with the upload still resumable.
 */
final class S3Errors {

    private static final Set<String> DIGEST_ERRORS =
            Set.of("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum");
    private static final Set<String> ACCESS_ERRORS = Set.of(
            "AccessDenied",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "AllAccessDisabled",
            "InvalidToken",
            "ExpiredToken");

    private S3Errors() {}

    static String code(SdkException e) {
        return e instanceof S3Exception s3 && s3.awsErrorDetails() != null
                ? s3.awsErrorDetails().errorCode()
                : null;
    }

    static boolean isNoSuchUpload(SdkException e) {
        return "NoSuchUpload".equals(code(e));
    }

    static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && (s3.statusCode() == 404 || "NoSuchKey".equals(code(e)));
    }

    static IOException translate(String action, String bucket, SdkException e) {
        String code = code(e);
        if ("NoSuchBucket".equals(code)) {
            throw new TorrinException(
                    ErrorCode.STORAGE_ERROR,
                    "S3 bucket '" + bucket + "' does not exist; check the " + "storage configuration",
                    Map.of("reason", "NoSuchBucket", "retryable", false),
                    e);
        }
        if (code != null && ACCESS_ERRORS.contains(code)) {
            throw new TorrinException(
                    ErrorCode.STORAGE_ERROR,
                    "S3 refused access to bucket '" + bucket + "' (" + code + "); check credentials and permissions",
                    Map.of("reason", code, "retryable", false),
                    e);
        }
        if (code != null && DIGEST_ERRORS.contains(code)) {
            throw new TorrinException(
                    ErrorCode.CHUNK_HASH_MISMATCH,
                    "S3 rejected the chunk: its bytes do not match " + "their checksum",
                    Map.of("reason", code),
                    e);
        }
        return new IOException(
                "S3 " + action + " failed" + (code == null ? "" : " (" + code + ")") + ": " + e.getMessage(), e);
    }
}
