/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.torrin.core.AppendStatus;
import io.torrin.core.UploadState;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uppy ({@link UppyBundle}, Core + Tus plugin) in a real headless Chromium against a tus endpoint: the way most
 * browser applications will meet a Torrin server. The page is served from another origin than the endpoint (a
 * small JDK HTTP server started by the kit), so the endpoint's CORS answers are exercised by a real browser too:
 * the endpoint must allow any origin (or the page's) and expose the tus headers.
 *
 * <p>Subclasses start the server under test and say where it is and how to read what it stored. Needs Chromium
 * ({@link HeadlessChromium#findBinary()}) and the Uppy bundle (npm, or a prepared {@link UppyBundle#directory()});
 * without them the tests are skipped with a message, except in CI ({@code CI=true}), where {@code .ci/run}
 * installs both and their absence fails the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class UppyBrowserKit {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path temp;

    private HttpServer pages;
    private Path chromium;

    /**
     * Returns the tus creation URL of the server under test.
     *
     * @return an absolute URL
     */
    protected abstract URI creationUrl();

    /**
     * Reads the stored file of a completed upload.
     *
     * @param uploadUrl the upload's URL as the client saw it
     * @return the bytes, or empty if the upload is not completed
     * @throws IOException if reading fails
     */
    protected abstract Optional<byte[]> storedBytes(URI uploadUrl) throws IOException;

    /**
     * Returns the server's view of an upload.
     *
     * @param uploadUrl the upload's URL as the client saw it
     * @return its status
     */
    protected abstract AppendStatus status(URI uploadUrl);

    @BeforeAll
    void servePage() throws IOException {
        boolean ci = "true".equals(System.getenv("CI"));
        Optional<Path> binary = HeadlessChromium.findBinary();
        if (ci) {
            assertThat(binary)
                    .as("Chromium must be installed in CI (.ci/run installs it)")
                    .isPresent();
        }
        Assumptions.assumeTrue(binary.isPresent(), "SKIPPED: no Chromium installed (apt-get install chromium)");
        chromium = binary.get();
        Path bundle;
        try {
            bundle = UppyBundle.install();
        } catch (IOException e) {
            if (ci) {
                throw e;
            }
            Assumptions.abort("SKIPPED: the Uppy bundle could not be installed (npm pack uppy@" + UppyBundle.VERSION
                    + "): " + e.getMessage());
            return;
        }
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/uppy.html", exchange -> {
            try (InputStream page = UppyBrowserKit.class.getResourceAsStream("uppy.html")) {
                send(exchange, "text/html; charset=utf-8", page.readAllBytes());
            }
        });
        pages.createContext(
                "/" + UppyBundle.BUNDLE,
                exchange -> send(exchange, "text/javascript; charset=utf-8", Files.readAllBytes(bundle)));
        pages.start();
    }

    @AfterAll
    void stopPages() {
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    @DisplayName("Uppy uploads a file in PATCHes, is paused midway, the page is reloaded, the same file is chosen "
            + "again and Uppy resumes the same upload to completion with the exact bytes and the file name")
    void pausedReloadedAndResumed() throws Exception {
        byte[] content = TestFiles.randomBytes(48 * CHUNK + 4321);
        Path file = temp.resolve("uppy holiday.bin");
        Files.write(file, content);
        try (HeadlessChromium browser =
                HeadlessChromium.start(chromium, Files.createDirectory(temp.resolve("profile")))) {
            browser.navigate(pageUrl(30), WAIT);
            browser.chooseFile("#file", file);
            browser.await("window.torrin.progress >= 0.25 || window.torrin.error !== null", JsonNode::asBoolean, WAIT);
            assertThat(browser.evaluate("window.torrin.error").isNull())
                    .as("no Uppy error")
                    .isTrue();
            assertThat(browser.evaluate("window.torrinPauseResume()").asBoolean())
                    .as("paused")
                    .isTrue();
            String stored = browser.evaluate("JSON.stringify(Object.assign({}, localStorage))")
                    .asText();
            String uploadUrl = browser.evaluate(
                            "(() => { const k = Object.keys(localStorage).find(k => "
                                    + "k.startsWith('tus::')); return k ? JSON.parse(localStorage.getItem(k)).uploadUrl : null; })()")
                    .asText("");
            assertThat(uploadUrl)
                    .as("tus-js-client's record of the upload in localStorage: %s", stored)
                    .isNotEmpty();
            URI upload = creationUrl().resolve(uploadUrl);
            AppendStatus paused = status(upload);
            assertThat(paused.offset()).as("bytes stored before the pause").isBetween(1L, content.length - 1L);
            assertThat(paused.session().state().isActive()).isTrue();

            browser.reload(WAIT);
            browser.chooseFile("#file", file);
            awaitSuccess(browser);
            assertThat(browser.evaluate("window.torrin.uploadUrl").asText())
                    .as("the same upload was resumed")
                    .isEqualTo(uploadUrl);
            AppendStatus done = status(upload);
            assertThat(done.session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(done.session().fileName()).contains("uppy holiday.bin");
            assertThat(done.session().mimeType()).contains("application/octet-stream");
            assertThat(TestFiles.sha256(storedBytes(upload).orElseThrow())).isEqualTo(TestFiles.sha256(content));
        }
    }

    @Test
    @DisplayName("Uppy uploads an empty file")
    void emptyFile() throws Exception {
        Path file = temp.resolve("empty.txt");
        Files.write(file, new byte[0]);
        try (HeadlessChromium browser =
                HeadlessChromium.start(chromium, Files.createDirectory(temp.resolve("profile-empty")))) {
            browser.navigate(pageUrl(0), WAIT);
            browser.chooseFile("#file", file);
            awaitSuccess(browser);
            URI upload = creationUrl()
                    .resolve(browser.evaluate("window.torrin.uploadUrl").asText());
            assertThat(status(upload).session().state()).isEqualTo(UploadState.COMPLETED);
            assertThat(storedBytes(upload).orElseThrow()).isEmpty();
        }
    }

    private static void awaitSuccess(HeadlessChromium browser) {
        browser.await("window.torrin.done || window.torrin.error !== null", JsonNode::asBoolean, WAIT);
        assertThat(browser.evaluate("window.torrin.error").asText(null))
                .as("Uppy's error")
                .isNull();
    }

    private String pageUrl(int paceMillis) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + "/uppy.html?endpoint="
                + URLEncoder.encode(creationUrl().toString(), StandardCharsets.UTF_8) + "&chunkSize=" + CHUNK
                + "&paceMillis=" + paceMillis;
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }
}
