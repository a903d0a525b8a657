/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.StorageLocation;
import io.torrin.testsupport.S3MockProcess;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3Mock ({@link S3MockProcess}) shared by all test classes of a run: the first class that needs it starts it;
 * JUnit closes it (by its process handle) when the run ends. The jar is copied into {@code target/s3mock} by the
 * build (system property {@code s3mock.jar}).
 */
final class S3Mock implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    static final String BUCKET = "torrin-test";
    private static S3Mock running;

    private S3MockProcess process;

    /**
     * Returns the running server.
     *
     * @return the server
     */
    static synchronized S3Mock get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(S3Mock.class)");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (S3Mock.class) {
            if (running == null) {
                process = S3MockProcess.start(
                        Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar")), BUCKET);
                running = this;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(S3Mock.class.getName(), this);
            }
        }
    }

    URI endpoint() {
        return process.endpoint();
    }

    /**
     * Opens a completed upload's object.
     *
     * @param s3 a client
     * @param location a location the S3 driver returned
     * @return the object's bytes; the caller closes the stream
     */
    static InputStream open(S3Client s3, StorageLocation location) {
        return s3.getObject(r -> r.bucket(location.attribute("bucket").orElseThrow())
                .key(location.attribute("key").orElseThrow()));
    }

    /**
     * Returns a new client for the server; the caller closes it.
     *
     * @return a client
     */
    S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * Returns a new presigner for the server; the caller closes it.
     *
     * @return a presigner
     */
    S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
