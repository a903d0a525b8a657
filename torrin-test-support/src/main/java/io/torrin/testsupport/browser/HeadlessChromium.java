/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with the JDK's own HTTP and WebSocket clients: open
 * a page, evaluate JavaScript, choose files in a file input or drop them on an element, reload. Enough to test an upload page end to end
 * without Selenium or a downloaded browser. Not thread-safe; close it to end the browser.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CANDIDATES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, URI pageSocket) {
        this.process = process;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(pageSocket, new Listener())
                .join();
    }

    /**
     * Finds a Chromium binary: {@code $CHROMIUM}, then the usual Debian and Chrome locations.
     *
     * @return the binary, or empty if none is installed
     */
    public static Optional<Path> findBinary() {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("CHROMIUM")).ifPresent(candidates::add);
        candidates.addAll(CANDIDATES);
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts a headless browser with a fresh profile and connects to its first page.
     *
     * @param binary the Chromium binary
     * @param profile an empty directory for the profile
     * @return the running browser
     * @throws IOException if it cannot start or does not open its debugging port within 60 seconds
     */
    public static HeadlessChromium start(Path binary, Path profile) throws IOException {
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile,
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(
                        profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IOException("Chromium did not open its debugging port");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpResponse<String> targets = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(targets.body())) {
                if (target.path("type").asText().equals("page")) {
                    return new HeadlessChromium(
                            process,
                            URI.create(target.get("webSocketDebuggerUrl").asText()));
                }
            }
            throw new IOException("Chromium has no page target");
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Sends one DevTools command to the page and waits for its result.
     *
     * @param method the method, for example {@code Page.navigate}
     * @param params its parameters
     * @return the {@code result} object
     * @throws IllegalStateException if the browser answers with an error or not within 30 seconds
     */
    public JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode response = answer.get(30, TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + ": " + response.get("error"));
            }
            return response.path("result");
        } catch (Exception e) {
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " failed", e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Evaluates a JavaScript expression in the page, awaiting a promise result.
     *
     * @param expression the expression
     * @return its value as JSON (missing node for {@code undefined})
     */
    public JsonNode evaluate(String expression) {
        JsonNode result =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Loads a URL and waits until the new document is complete.
     *
     * @param url the URL
     * @param timeout the longest wait
     */
    public void navigate(String url, Duration timeout) {
        call("Page.navigate", Map.of("url", url));
        awaitNewDocument(timeout);
    }

    /**
     * Reloads the page and waits until the new document is complete.
     *
     * @param timeout the longest wait
     */
    public void reload(Duration timeout) {
        evaluate("window.__torrinOldDocument = true");
        call("Page.reload", Map.of());
        awaitNewDocument(timeout);
    }

    /**
     * Chooses a file in a file input, as a user would (the page gets its {@code change} event).
     *
     * @param selector a CSS selector of the input
     * @param file the file
     */
    public void chooseFile(String selector, Path file) {
        chooseFiles(selector, List.of(file));
    }

    /**
     * Chooses several files at once in a file input (one with {@code multiple}), as a user would.
     *
     * @param selector a CSS selector of the input
     * @param files the files
     */
    public void chooseFiles(String selector, List<Path> files) {
        int root = call("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
        int input = call("DOM.querySelector", Map.of("nodeId", root, "selector", selector))
                .path("nodeId")
                .asInt();
        call("DOM.setFileInputFiles", Map.of("nodeId", input, "files", absolute(files)));
    }

    /**
     * Drags files from outside the browser onto the middle of an element and drops them there, as a user would
     * (the page gets {@code dragenter}, {@code dragover} and {@code drop} with the files in the
     * {@code DataTransfer}).
     *
     * @param selector a CSS selector of the drop target
     * @param files the files
     */
    public void dropFiles(String selector, List<Path> files) {
        JsonNode centre = evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        Map<String, Object> data = Map.of("items", List.of(), "files", absolute(files), "dragOperationsMask", 1);
        for (String type : List.of("dragEnter", "dragOver", "drop")) {
            call(
                    "Input.dispatchDragEvent",
                    Map.of(
                            "type",
                            type,
                            "x",
                            centre.get("x").asDouble(),
                            "y",
                            centre.get("y").asDouble(),
                            "data",
                            data));
        }
    }

    private static List<String> absolute(List<Path> files) {
        return files.stream().map(file -> file.toAbsolutePath().toString()).toList();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Waits until a JavaScript expression's value satisfies a condition, checking every 50 ms.
     *
     * @param expression the expression
     * @param condition the condition on its value
     * @param timeout the longest wait
     * @return the value that satisfied it
     * @throws AssertionError with the last value if the time runs out
     */
    public JsonNode await(String expression, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = evaluate(expression);
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on `" + expression + "`; last value: " + value);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            value = evaluate(expression);
        }
        return value;
    }

    private void awaitNewDocument(Duration timeout) {
        await(
                "window.__torrinOldDocument !== true && document.readyState === 'complete'",
                JsonNode::asBoolean,
                timeout);
    }

    /**
     * Ends the browser and every process it started (renderers, GPU and utility processes), and waits (at most 10
     * seconds) until they are gone, so that none still writes into the profile directory when the caller deletes it.
     */
    @Override
    public void close() {
        try {
            socket.abort();
        } finally {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    // a process that does not end in time is left to the operating system
                }
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer =
                                pending.get(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException ignored) {
                    // not a protocol message
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
