/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.testkit.StorageDriverCompatibilityKit;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** The storage driver contract on S3Mock. */
@ExtendWith(S3Mock.class)
class S3StorageDriverCompatibilityTest extends StorageDriverCompatibilityKit {

    private S3Client s3;

    @Override
    protected StorageDriver createDriver() {
        s3 = S3Mock.get().client();
        return S3StorageDriver.builder(s3, S3Mock.BUCKET).keyPrefix("kit/").build();
    }

    @Override
    protected InputStream openCompleted(StorageLocation location) {
        return S3Mock.open(s3, location);
    }

    @Override
    protected Optional<StorageLocation> missingLocation(StorageLocation completed) {
        s3.deleteObject(
                r -> r.bucket(S3Mock.BUCKET).key(completed.attribute("key").orElseThrow()));
        return Optional.of(completed);
    }

    /** The same key in another bucket (which the client could read), and a location without a key. */
    @Override
    protected List<StorageLocation> escapingLocations(StorageLocation completed) {
        return List.of(
                new StorageLocation(
                        completed.type(),
                        Map.of(
                                "bucket",
                                "another-bucket",
                                "key",
                                completed.attribute("key").orElseThrow())),
                new StorageLocation(completed.type(), Map.of("bucket", S3Mock.BUCKET)));
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }
}
