/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.testkit.StorageDriverCompatibilityKit;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage driver contract on MinIO, a second S3-compatible implementation. Needs Docker: the module's build
 * runs it only in the {@code docker} profile (on by itself where {@code /var/run/docker.sock} exists, or
 * {@code -Pdocker}); S3Mock covers the driver everywhere. Run without Docker anyway, JUnit skips it.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioStorageDriverCompatibilityTest extends StorageDriverCompatibilityKit {

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

    private S3Client s3;

    @BeforeAll
    static void bucket() {
        try (S3Client client = client()) {
            client.createBucket(r -> r.bucket("torrin"));
        }
    }

    private static S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(MINIO.getS3URL()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
                .build();
    }

    @Override
    protected StorageDriver createDriver() {
        s3 = client();
        return S3StorageDriver.builder(s3, "torrin").build();
    }

    @Override
    protected InputStream openCompleted(StorageLocation location) {
        return S3Mock.open(s3, location);
    }

    @Override
    protected Optional<StorageLocation> missingLocation(StorageLocation completed) {
        s3.deleteObject(r -> r.bucket("torrin").key(completed.attribute("key").orElseThrow()));
        return Optional.of(completed);
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }
}
