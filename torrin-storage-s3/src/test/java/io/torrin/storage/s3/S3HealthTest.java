/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.spi.Health;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 driver's health check against a real S3-compatible server: up for its bucket, down for a missing one. */
@ExtendWith(S3Mock.class)
class S3HealthTest {

    @Test
    void upWhenTheBucketIsReachableAndDownWhenItIsNot() {
        S3Client s3 = S3Mock.get().client();
        Health up = S3StorageDriver.builder(s3, S3Mock.BUCKET).build().checkHealth();
        assertThat(up.isUp()).as(up.toString()).isTrue();
        assertThat(up.details()).containsEntry("bucket", S3Mock.BUCKET);

        Health down = S3StorageDriver.builder(s3, "no-such-bucket-" + System.nanoTime())
                .build()
                .checkHealth();
        assertThat(down.status()).isEqualTo(Health.Status.DOWN);
        assertThat((String) down.details().get("error")).startsWith("the bucket is not reachable");
    }
}
