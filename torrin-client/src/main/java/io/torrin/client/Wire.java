/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The Torrin wire protocol over the JDK's {@link HttpClient}: one method per route, each sent with the retry
 * policy. Thread-safe.
 */
final class Wire {

    /** The most of an answer's body that is read; protocol answers are small JSON documents. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;

    static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON object as a map, in its order. */
    static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    /** A request was given up because its upload was paused or canceled. */
    static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    /** Told about each retry. */
    interface RetryObserver {
        void retrying(String what, int failedAttempts, Throwable cause, Duration delay);
    }

    /**
     * Whose requests these are: when to give up between attempts, who hears of retries, and the requests waiting
     * for their answers (so that a cancel can end them).
     */
    record Calls(BooleanSupplier abandon, RetryObserver observer, Set<CompletableFuture<?>> inFlight) {

        static Calls create(BooleanSupplier abandon, RetryObserver observer) {
            return new Calls(abandon, observer, ConcurrentHashMap.newKeySet());
        }

        static Calls plain() {
            return create(() -> false, (what, failed, cause, delay) -> {});
        }

        void cancelAll() {
            for (CompletableFuture<?> request : inFlight) {
                request.cancel(true);
            }
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Supplier<Map<String, String>> headers;

    Wire(
            HttpClient http,
            URI endpoint,
            Duration requestTimeout,
            RetryPolicy retry,
            Supplier<Map<String, String>> headers) {
        this.http = http;
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.headers = headers;
    }

    URI endpoint() {
        return endpoint;
    }

    JsonNode init(ObjectNode body, Calls calls) {
        return send(
                "create",
                () -> json(request(endpoint).POST(HttpRequest.BodyPublishers.ofString(body.toString()))),
                false,
                calls);
    }

    JsonNode status(String uploadId, Calls calls) {
        return send("status", () -> request(uploadUri(uploadId, "/status")).GET(), false, calls);
    }

    JsonNode complete(String uploadId, String sha256, Calls calls) {
        ObjectNode body = JSON.createObjectNode().put("hash", sha256);
        return send(
                "complete",
                () -> json(request(uploadUri(uploadId, "/complete"))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))),
                false,
                calls);
    }

    void abort(String uploadId, Calls calls) {
        send("abort", () -> request(uploadUri(uploadId, "")).DELETE(), false, calls);
    }

    JsonNode chunk(String uploadId, int index, String sha256, HttpRequest.BodyPublisher body, Calls calls) {
        return send(
                "chunk " + index,
                () -> request(uploadUri(uploadId, "/chunks/" + index))
                        .header("Content-Type", "application/octet-stream")
                        .header("X-Torrin-Chunk-Hash", sha256)
                        .PUT(body),
                true,
                calls);
    }

    private URI uploadUri(String uploadId, String suffix) {
        return URI.create(endpoint + "/" + uploadId + suffix);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        headers.get().forEach(builder::header);
        return builder;
    }

    private static HttpRequest.Builder json(HttpRequest.Builder builder) {
        return builder.header("Content-Type", "application/json");
    }

    /**
     * Sends a request until it succeeds, fails for good, runs out of attempts or is abandoned.
     *
     * @return the answer's JSON (an empty object for {@code 204})
     * @throws TorrinException for an error the server answered that no retry cures (or the last curable one)
     * @throws TorrinTransportException when the last attempt could not reach the server
     * @throws Abandoned when {@code abandon} says so between attempts
     */
    private JsonNode send(String what, Supplier<HttpRequest.Builder> request, boolean chunk, Calls calls) {
        for (int attempt = 1; ; attempt++) {
            if (calls.abandon().getAsBoolean()) {
                throw new Abandoned();
            }
            RuntimeException failure;
            Duration retryAfter = null;
            try {
                HttpResponse<InputStream> response =
                        exchange(http, request.get().build(), calls.inFlight());
                int status = response.statusCode();
                byte[] body;
                try (InputStream in = response.body()) {
                    body = in.readNBytes(MAX_ANSWER_BYTES);
                }
                if (status >= 200 && status < 300) {
                    return body.length == 0 ? JSON.createObjectNode() : parse(body, what);
                }
                TorrinException error = error(status, body);
                if (!curable(status, error, chunk)) {
                    throw error;
                }
                failure = error;
                retryAfter = retryAfter(response).orElse(null);
            } catch (IOException e) {
                failure = new TorrinTransportException(what + ": " + e, e);
            } catch (TorrinTransportException e) {
                failure = e;
            }
            if (attempt >= retry.maxAttempts()) {
                throw failure;
            }
            Duration delay = retry.delay(attempt, retryAfter);
            calls.observer().retrying(what, attempt, failure, delay);
            sleep(delay, calls.abandon());
        }
    }

    private static HttpResponse<InputStream> exchange(
            HttpClient http, HttpRequest request, Set<CompletableFuture<?>> inFlight) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        inFlight.add(future);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Abandoned();
        } catch (CancellationException e) {
            throw new Abandoned();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new TorrinTransportException(request.method() + " " + request.uri() + ": " + cause, cause);
        } finally {
            inFlight.remove(future);
        }
    }

    private static void sleep(Duration delay, BooleanSupplier abandon) {
        long end = System.nanoTime() + delay.toNanos();
        try {
            for (long left = delay.toNanos(); left > 0; left = end - System.nanoTime()) {
                if (abandon.getAsBoolean()) {
                    throw new Abandoned();
                }
                Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }

    /**
     * Whether a retry may cure an error answer: 408, 423, 429 and 5xx (unless the server said
     * {@code retryable: false}), and for a chunk a size or hash mismatch: the client checks sizes and hashes before
     * it sends, so a mismatch means the bytes changed on the way.
     */
    static boolean curable(int status, TorrinException error, boolean chunk) {
        if (error.details().get("retryable") instanceof Boolean retryable) {
            return retryable;
        }
        if (status >= 500 || status == 408 || status == 423 || status == 429) {
            return true;
        }
        return chunk
                && (error.code() == ErrorCode.CHUNK_HASH_MISMATCH || error.code() == ErrorCode.CHUNK_SIZE_MISMATCH);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: the policy's own delay applies
            }
        });
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new TorrinTransportException(what + ": the answer is not JSON", e);
        }
    }

    /** The server's error answer as an exception: its code, message and details, or a code from the status. */
    static TorrinException error(int status, byte[] body) {
        ErrorCode code = null;
        String message = "HTTP " + status;
        Map<String, Object> details = Map.of();
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isObject()) {
                String name = error.path("code").asText("");
                code = Arrays.stream(ErrorCode.values())
                        .filter(c -> c.name().equals(name))
                        .findFirst()
                        .orElse(null);
                message = error.path("message").asText(message);
                if (error.path("details").isObject()) {
                    details = JSON.convertValue(error.path("details"), OBJECT);
                }
            }
        } catch (JsonProcessingException e) {
            // not a Torrin error body (a proxy's page, for example): the status decides
        } catch (IOException e) {
            // same
        }
        if (code == null) {
            code = fromStatus(status);
        }
        return new TorrinException(code, status, message, details, null);
    }

    private static ErrorCode fromStatus(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.UPLOAD_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 423 -> ErrorCode.UPLOAD_LOCKED;
            case 429 -> ErrorCode.TOO_MANY_UPLOADS;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
    }
}
