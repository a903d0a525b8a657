/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.browser.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example's upload page in a real headless Chromium: choose a file, upload, pause halfway, reload the page,
 * choose the same file again, and the upload resumes (same upload id, only the missing chunks) and completes with
 * the exact bytes. Chunks are throttled on the server so that pausing lands mid-upload.
 *
 * <p>Needs Chromium ({@code apt-get install chromium}); skipped with a message without it, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs it and a missing browser fails the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(UploadPageBrowserTest.SlowChunks.class)
class UploadPageBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path data;

    @LocalServerPort
    int port;

    @TempDir
    Path temp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        data = ExampleAppData.temporary(registry, "torrin-page-test");
        registry.add("torrin.chunk.default-size", () -> "256KB");
    }

    /** Makes every chunk take at least 80 ms, so a pause lands in the middle of the upload. */
    @TestConfiguration
    static class SlowChunks {
        @Bean
        UploadHooks throttle() {
            return new UploadHooks() {
                @Override
                public void beforeChunk(UploadSession session, int index, RequestContext context) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(80);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }

    @Test
    void pageWhenPausedAndReloadedThenResumesTheSameUploadAndStoresTheExactBytes() throws Exception {
        Optional<Path> binary = HeadlessChromium.findBinary();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(binary)
                    .as("Chromium must be installed in CI (.ci/run installs it)")
                    .isPresent();
        }
        Assumptions.assumeTrue(binary.isPresent(), "SKIPPED: no Chromium installed (apt-get install chromium)");

        byte[] content = TestFiles.randomBytes(40 * 256 * 1024 + 1234);
        Path file = temp.resolve("holiday video.bin");
        Files.write(file, content);
        String page = "http://127.0.0.1:" + port + "/";
        Duration wait = Duration.ofSeconds(60);

        try (HeadlessChromium browser =
                HeadlessChromium.start(binary.get(), Files.createDirectory(temp.resolve("profile")))) {
            browser.navigate(page, wait);
            browser.chooseFile("#file", file);
            browser.await("document.getElementById('start').disabled", v -> !v.asBoolean(), wait);
            browser.evaluate("document.getElementById('start').click()");
            browser.await("document.getElementById('progress').value", v -> v.asInt() >= 25, wait);
            browser.evaluate("document.getElementById('pause').click()");
            browser.await(
                    "document.getElementById('status').textContent",
                    v -> v.asText().startsWith("Paused"),
                    wait);
            String uploadId = browser.evaluate("localStorage.getItem(localStorage.key(0))")
                    .asText();
            JsonNode paused = status(uploadId);
            int receivedBeforeReload = paused.get("receivedChunks").size();
            assertThat(receivedBeforeReload)
                    .isBetween(1, paused.get("totalChunks").asInt() - 1);

            browser.reload(wait);
            browser.chooseFile("#file", file);
            browser.await("document.getElementById('start').disabled", v -> !v.asBoolean(), wait);
            browser.evaluate("document.getElementById('start').click()");
            browser.await(
                    "document.getElementById('status').textContent",
                    v -> v.asText().startsWith("Done"),
                    wait);

            JsonNode result = JSON.readTree(browser.evaluate("document.getElementById('result').textContent")
                    .asText());
            assertThat(result.get("uploadId").asText())
                    .as("the same upload resumed")
                    .isEqualTo(uploadId);
            assertThat(result.get("fileName").asText()).isEqualTo("holiday video.bin");
            assertThat(browser.evaluate("localStorage.length").asInt()).isZero();
            Path stored = data.resolve("files")
                    .resolve(result.get("location").get("path").asText());
            assertThat(TestFiles.sha256(Files.readAllBytes(stored))).isEqualTo(TestFiles.sha256(content));
        }
    }

    private JsonNode status(String uploadId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/torrin/uploads/" + uploadId + "/status"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
