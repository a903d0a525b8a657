/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.server.UploadService;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.s3.S3StorageDriver;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.TwoInstanceScenario;
import io.torrin.testsupport.S3MockProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Two server instances (separate services, stores, S3 clients and Jetty servers) on one Redis and one S3. */
class TwoInstancesOnRedisAndS3Test {

    private static final String BUCKET = "shared";
    private final String prefix = RedisServer.uniquePrefix();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private S3Client client(S3MockProcess s3) {
        S3Client client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        resources.add(client);
        return client;
    }

    private URI instance(S3MockProcess s3) throws Exception {
        RedisUploadStore store =
                RedisUploadStore.builder(RedisServer.client()).keyPrefix(prefix).build();
        UploadService service = UploadService.builder()
                .storage(S3StorageDriver.builder(client(s3), BUCKET).build())
                .store(store)
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(
                new ServletHolder(
                        new TorrinServlet(TorrinProtocolHandler.builder(service).build())),
                "/torrin/uploads/*");
        server.setHandler(context);
        server.start();
        resources.add(store);
        resources.add(service);
        resources.add(server::stop);
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/torrin/uploads");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void uploadWhenChunksAlternateBetweenInstancesAndBothCompleteThenOneFinalizeAndTheExactBytes() throws Exception {
        RedisServer.client();
        S3MockProcess s3 =
                S3MockProcess.start(Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar")), BUCKET);
        resources.add(s3);
        byte[] file = TestFiles.randomBytes((int) (4 * S3StorageDriver.MIN_PART_SIZE + 4321));
        JsonNode completed =
                new TwoInstanceScenario().run(instance(s3), instance(s3), file, S3StorageDriver.MIN_PART_SIZE);
        byte[] stored = client(s3)
                .getObjectAsBytes(r -> r.bucket(BUCKET)
                        .key(completed.get("location").get("key").asText()))
                .asByteArray();
        assertThat(TestFiles.sha256(stored)).isEqualTo(TestFiles.sha256(file));
    }
}
