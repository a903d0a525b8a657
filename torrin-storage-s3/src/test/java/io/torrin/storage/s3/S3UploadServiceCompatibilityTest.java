/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.StorageLocation;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import io.torrin.testkit.UploadServiceCompatibilityKit;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The service end to end on S3Mock with the durable file store. */
@ExtendWith(S3Mock.class)
class S3UploadServiceCompatibilityTest extends UploadServiceCompatibilityKit {

    @TempDir
    Path sessions;

    private S3Client s3;

    @Override
    protected StorageDriver createDriver() {
        s3 = S3Mock.get().client();
        return S3StorageDriver.builder(s3, S3Mock.BUCKET)
                .keyPrefix("service-kit/")
                .build();
    }

    @Override
    protected UploadStore createStore() {
        return FileUploadStore.create(sessions);
    }

    @Override
    protected InputStream openCompleted(StorageLocation location) {
        return S3Mock.open(s3, location);
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }
}
