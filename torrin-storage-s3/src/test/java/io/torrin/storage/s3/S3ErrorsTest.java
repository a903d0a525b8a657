/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How S3 failures are translated (S3Mock does not produce all of them, e.g. BadDigest for a part checksum). */
class S3ErrorsTest {

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code)
                        .build())
                .build();
    }

    @Test
    void translateWhenS3RejectsAPartChecksumThenChunkHashMismatch() {
        for (String code : new String[] {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"}) {
            assertThatThrownBy(() -> S3Errors.translate("UploadPart", "b", s3(400, code)))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_HASH_MISMATCH));
        }
    }

    @Test
    void translateWhenConfigurationIsWrongThenNonRetryableStorageErrorSayingWhat() {
        assertThatThrownBy(() -> S3Errors.translate("CreateMultipartUpload", "b", s3(403, "AccessDenied")))
                .isInstanceOfSatisfying(TorrinException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                    assertThat(e.getMessage()).contains("credentials and permissions");
                    assertThat(e.details()).containsEntry("retryable", false).containsEntry("reason", "AccessDenied");
                });
    }

    @Test
    void translateWhenThrottledOrUnavailableOrNetworkFailsThenIoExceptionForARetryableAnswer() {
        assertThat(S3Errors.translate("UploadPart", "b", s3(503, "SlowDown")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("SlowDown");
        assertThat(S3Errors.translate("UploadPart", "b", s3(500, "InternalError")))
                .isInstanceOf(IOException.class);
        assertThat(S3Errors.translate("UploadPart", "b", SdkClientException.create("connection refused")))
                .isInstanceOf(IOException.class);
    }
}
