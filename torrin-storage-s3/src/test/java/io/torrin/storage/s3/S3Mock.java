package io.torrin.storage.s3;

import io.torrin.testkit.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Adobe S3Mock as a child JVM on free loopback ports, shared by all test classes of a run: the first class that
 * needs it starts it; JUnit closes it (by its process handle) when the run ends. The jar is copied into
 * {@code target/s3mock} by the build (system property {@code s3mock.jar}).
 */
final class S3Mock implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    static final String BUCKET = "torrin-test";
    private static S3Mock running;

    private ChildJvm process;
    private int port;

    /**
     * Returns the running server, starting it if needed.
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
                start();
                running = this;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(S3Mock.class.getName(), this);
            }
        }
    }

    private void start() throws Exception {
        Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("S3Mock jar not found at " + jar + "; run the build through Maven");
        }
        Path root = Files.createTempDirectory("s3mock");
        port = freePort();
        process = ChildJvm.startJar(jar, List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"), List.of(
                "--http.port=" + port, "--server.port=" + freePort(),
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                "--spring.main.banner-mode=off"), root.resolveSibling(root.getFileName() + ".log"));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.close();
                    throw new IllegalStateException("S3Mock did not start; its log:\n" + process.log());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Returns a new client for the server; the caller closes it.
     *
     * @return a client
     */
    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * Returns a new presigner for the server; the caller closes it.
     *
     * @return a presigner
     */
    S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
