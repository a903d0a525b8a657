/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.UploadService;
import io.torrin.testkit.TestFiles;
import io.torrin.testsupport.browser.HeadlessChromium;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example's upload page in a real headless Chromium against the app on a random port. Two files chosen at once:
 * one finishes, the other is paused halfway, the page reloaded, the file chosen again, and the same upload resumes
 * and finishes; both are then downloaded through the page's links inside the browser and their SHA-256 compared
 * with the source files'. A dropped file is canceled and the server discards it. Remembered uploads the server no
 * longer knows are marked (finished) or forgotten (unfinished).
 *
 * <p>To make "halfway" exact rather than a race, a servlet filter in front of Torrin holds every chunk request of the
 * second half of a file whose name starts with {@code held-} until the test opens its gate: the request has not
 * reached Torrin yet, so it holds no lock, and the page's pause aborts it like any request in flight.
 *
 * <p>Needs Chromium ({@code apt-get install chromium}); skipped with a message without it, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs it and a missing browser fails the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(UploadPageBrowserTest.HeldChunks.class)
class UploadPageBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELD = "held-";
    private static final int CHUNK = 256 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern RATE =
            Pattern.compile("\\d+ % · \\d+(\\.\\d)? (B|KiB|MiB|GiB|TiB)/s · (.+ left|stalled)");
    private static Path data;

    @LocalServerPort
    int port;

    @Autowired
    Gate gate;

    @TempDir
    Path temp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        data = ExampleAppData.temporary(registry, "torrin-page-test");
        registry.add("torrin.chunk.default-size", () -> CHUNK / 1024 + "KB");
    }

    /** Holds the chunk requests of the second half of {@code held-} files until the gate opens. */
    @TestConfiguration
    static class HeldChunks {
        private static final Pattern CHUNK_PATH = Pattern.compile("/torrin/uploads/([^/]+)/chunks/(\\d+)");

        @Bean
        Gate gate() {
            return new Gate();
        }

        @Bean
        FilterRegistrationBean<Filter> holdSecondHalves(Gate gate, UploadService service) {
            Filter filter = (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                Matcher chunk = CHUNK_PATH.matcher(http.getRequestURI());
                if ("PUT".equals(http.getMethod()) && chunk.matches()) {
                    try {
                        UploadSession session =
                                service.getStatus(chunk.group(1)).session();
                        if (session.fileName().orElse("").startsWith(HELD)
                                && Integer.parseInt(chunk.group(2)) >= session.totalChunks() / 2) {
                            gate.pass();
                        }
                    } catch (TorrinException unknownUpload) {
                        // Torrin answers it
                    }
                }
                chain.doFilter(request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    /** A gate that requests wait at (at most a minute) while it is closed. */
    static final class Gate {
        private volatile CountDownLatch open = new CountDownLatch(1);

        void close() {
            open = new CountDownLatch(1);
        }

        void open() {
            open.countDown();
        }

        void pass() {
            try {
                open.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @BeforeEach
    void closeGate() {
        gate.close();
    }

    @AfterEach
    void openGate() {
        gate.open();
    }

    @Test
    void pageWhenTwoFilesUploadedOnePausedAndPageReloadedThenResumesAndDownloadsBothExactly() throws Exception {
        byte[] firstContent = randomFile(12);
        byte[] secondContent = randomFile(16);
        Path first = write("first report.bin", firstContent);
        Path second = write(HELD + "second video.bin", secondContent);
        String secondRow = row("#uploads", second);

        try (HeadlessChromium browser = browser()) {
            browser.chooseFiles("#files", List.of(first, second));

            awaitFinished(browser, first);
            String id = browser.await(secondRow + "?.dataset.uploadId", JsonNode::isTextual, WAIT)
                    .asText();
            int half = awaitReceived(id, totalChunks(secondContent.length) / 2);
            browser.await(
                    secondRow + ".querySelector('.status').textContent",
                    v -> RATE.matcher(v.asText()).matches(),
                    WAIT);
            browser.evaluate(secondRow + ".querySelector('.toggle').click()");
            browser.await(secondRow + ".dataset.state", v -> v.asText().equals("paused"), WAIT);
            assertThat(status(id).get("receivedChunks").size())
                    .as("paused halfway")
                    .isEqualTo(half);

            browser.reload(WAIT);
            browser.await(secondRow + "?.dataset.state", v -> v.asText().equals("waiting"), WAIT);
            assertThat(browser.evaluate(secondRow + ".dataset.uploadId").asText())
                    .isEqualTo(id);
            assertThat(browser.evaluate(secondRow + ".querySelector('progress').value")
                            .asInt())
                    .isEqualTo((int) (100L * half * CHUNK / secondContent.length));
            assertThat(browser.evaluate(row("#finished", first) + " !== null").asBoolean())
                    .as("the finished upload is still listed after the reload")
                    .isTrue();

            gate.open();
            browser.chooseFile("#files", second);
            awaitFinished(browser, second);
            assertThat(browser.evaluate(row("#finished", second) + ".dataset.uploadId")
                            .asText())
                    .as("the same upload resumed")
                    .isEqualTo(id);
            assertThat(browser.evaluate("Object.keys(localStorage).filter(k => k.startsWith('torrin-upload:'))")
                            .size())
                    .as("no unfinished upload remembered")
                    .isZero();

            browser.reload(WAIT);
            JsonNode downloads = downloadFinished(browser);
            assertThat(downloads.size()).isEqualTo(2);
            assertThat(downloads
                            .get(first.getFileName().toString())
                            .get("sha256")
                            .asText())
                    .isEqualTo(TestFiles.sha256(firstContent));
            assertThat(downloads
                            .get(second.getFileName().toString())
                            .get("sha256")
                            .asText())
                    .isEqualTo(TestFiles.sha256(secondContent));
            assertThat(downloads
                            .get(second.getFileName().toString())
                            .get("href")
                            .asText())
                    .isEqualTo("/torrin/uploads/" + id + "/content");
        }
    }

    @Test
    void pageWhenDroppedFileCanceledThenTheServerDiscardsTheUpload() throws Exception {
        Path file = write(HELD + "canceled.bin", randomFile(8));
        String uploadRow = row("#uploads", file);

        try (HeadlessChromium browser = browser()) {
            browser.dropFiles("#drop", List.of(file));
            String id = browser.await(uploadRow + "?.dataset.uploadId", JsonNode::isTextual, WAIT)
                    .asText();
            awaitReceived(id, totalChunks(Files.size(file)) / 2);
            Path staging = data.resolve("files").resolve(".torrin-staging").resolve(id + ".part");
            assertThat(staging).exists();

            browser.evaluate(uploadRow + ".querySelector('.cancel').click()");
            browser.await(uploadRow + " === null", JsonNode::asBoolean, WAIT);

            assertThat(status(id).get("status").asText()).isEqualTo("canceled");
            assertThat(staging).doesNotExist();
            HttpResponse<String> content = get("/torrin/uploads/" + id + "/content");
            assertThat(content.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(content.body()).at("/error/code").asText()).isEqualTo("UPLOAD_CANCELED");
            assertThat(browser.evaluate("document.getElementById('notice').textContent")
                            .asText())
                    .startsWith("Canceled " + file.getFileName());
            assertThat(browser.evaluate("localStorage.length").asInt())
                    .as("nothing remembered")
                    .isZero();
            assertThat(browser.evaluate("document.querySelectorAll('#finished li').length")
                            .asInt())
                    .isZero();
        }
    }

    /**
     * Entries the server no longer knows (as after the sweeper removed their records at the end of the finished
     * retention): a finished one stays listed, marked, until removed; an unfinished one is forgotten.
     */
    @Test
    void pageWhenRememberedUploadsAreGoneFromTheServerThenMarksTheFinishedAndForgetsTheUnfinished() throws Exception {
        String finishedId = unknownId();
        String unfinishedKey = "torrin-upload:old draft.bin:1000:1700000000000";
        try (HeadlessChromium browser = browser()) {
            browser.evaluate("localStorage.setItem('torrin-finished', JSON.stringify([{uploadId: '" + finishedId
                    + "', fileName: 'old report.bin', fileSize: 5000, completedAt: '2026-01-02T03:04:05Z'}]));"
                    + " localStorage.setItem('" + unfinishedKey + "', '" + unknownId() + "')");
            browser.reload(WAIT);

            String item = "document.querySelector('#finished li[data-upload-id=\"" + finishedId + "\"]')";
            browser.await(item + "?.className", v -> v.asText().equals("gone"), WAIT);
            assertThat(browser.evaluate(item + ".textContent").asText()).contains("no longer on the server");
            browser.await("localStorage.getItem('" + unfinishedKey + "')", JsonNode::isNull, WAIT);
            assertThat(browser.evaluate("document.querySelectorAll('#uploads li').length")
                            .asInt())
                    .isZero();

            browser.evaluate(item + ".querySelector('.forget').click()");
            assertThat(browser.evaluate(item + " === null").asBoolean()).isTrue();
            assertThat(browser.evaluate("localStorage.getItem('torrin-finished')")
                            .asText())
                    .isEqualTo("[]");
            assertThat(browser.evaluate("document.getElementById('finished-empty').hidden")
                            .asBoolean())
                    .isFalse();
        }
    }

    /** A well-formed upload id (32 base32 characters, as the server makes them) that the server never gave. */
    private static String unknownId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder id = new StringBuilder();
        ThreadLocalRandom.current().ints(32, 0, alphabet.length()).forEach(i -> id.append(alphabet.charAt(i)));
        return id.toString();
    }

    private HeadlessChromium browser() throws IOException {
        Optional<Path> binary = HeadlessChromium.findBinary();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(binary)
                    .as("Chromium must be installed in CI (.ci/run installs it)")
                    .isPresent();
        }
        Assumptions.assumeTrue(binary.isPresent(), "SKIPPED: no Chromium installed (apt-get install chromium)");
        HeadlessChromium browser = HeadlessChromium.start(binary.get(), Files.createDirectory(temp.resolve("profile")));
        browser.navigate("http://127.0.0.1:" + port + "/", WAIT);
        return browser;
    }

    /** Random bytes: {@code chunks} whole chunks and a random part of one more. */
    private static byte[] randomFile(int chunks) {
        return TestFiles.randomBytes(
                chunks * CHUNK + ThreadLocalRandom.current().nextInt(1, CHUNK));
    }

    private static int totalChunks(long size) {
        return (int) ((size + CHUNK - 1) / CHUNK);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(temp.resolve(name), content);
    }

    /** A JavaScript expression for a file's row in a list, null while there is none. */
    private static String row(String list, Path file) throws IOException {
        return "document.querySelector("
                + JSON.writeValueAsString(list + " li[data-file-name=\"" + file.getFileName() + "\"]") + ")";
    }

    private static void awaitFinished(HeadlessChromium browser, Path file) throws IOException {
        browser.await(row("#finished", file) + " !== null", JsonNode::asBoolean, WAIT);
    }

    /** Fetches every finished upload's link in the page and hashes the body there: {name: {href, sha256}}. */
    private static JsonNode downloadFinished(HeadlessChromium browser) {
        return browser.evaluate("""
                (async () => {
                  const hex = (buffer) => [...new Uint8Array(buffer)]
                    .map((b) => b.toString(16).padStart(2, '0')).join('');
                  const entries = await Promise.all([...document.querySelectorAll('#finished li')].map(async (li) => {
                    const link = li.querySelector('a');
                    const response = await fetch(link.href);
                    if (!response.ok) {
                      throw new Error(link.href + ': ' + response.status);
                    }
                    const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
                    return [li.dataset.fileName, { href: link.getAttribute('href'), sha256: hex(digest) }];
                  }));
                  return Object.fromEntries(entries);
                })()
                """);
    }

    /** Waits until the server has received exactly {@code count} chunks of the upload. */
    private int awaitReceived(String uploadId, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int received = status(uploadId).get("receivedChunks").size();
        while (received != count) {
            assertThat(System.nanoTime()).as("chunks received: " + received).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            received = status(uploadId).get("receivedChunks").size();
        }
        return received;
    }

    private JsonNode status(String uploadId) throws Exception {
        HttpResponse<String> response = get("/torrin/uploads/" + uploadId + "/status");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
