/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.core.UploadIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Uploads files to a Torrin server over its wire protocol: each file in parallel chunks streamed from the file,
 * each chunk with its SHA-256 and the completion with the whole file's, failed requests retried by the
 * {@link RetryPolicy}, and an interrupted upload resumed (also by another process) through the
 * {@link ResumeStore}: the server is asked which chunks it has and only the others are sent.
 *
 * <pre>{@code
 * try (TorrinClient client = TorrinClient.builder(URI.create("http://localhost:8080/torrin/uploads"))
 *         .parallelism(4)
 *         .build()) {
 *     UploadResult result = client.upload(Path.of("video.mp4")).result().join();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe: one client serves any number of uploads at once. {@link #close()} stops the
 * client's own threads (not an executor the application gave it); uploads still running then stop where they
 * are, and a later run resumes them.
 */
public final class TorrinClient implements AutoCloseable {

    private final URI endpoint;
    private final Wire wire;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final int parallelism;
    private final Long chunkSize;
    private final ResumeStore resumeStore;

    private TorrinClient(Builder builder) {
        this.endpoint = builder.endpoint;
        this.parallelism = builder.parallelism;
        this.chunkSize = builder.chunkSize;
        this.resumeStore = builder.resumeStore;
        if (builder.executor == null) {
            this.ownExecutor = Executors.newCachedThreadPool(daemonThreads());
            this.executor = ownExecutor;
        } else {
            this.ownExecutor = null;
            this.executor = builder.executor;
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.wire = new Wire(http, endpoint, builder.requestTimeout, builder.retryPolicy, builder.headers);
    }

    /**
     * Starts a builder.
     *
     * @param endpoint the server's mount URL, for example {@code http://host:8080/torrin/uploads}; not null
     * @return a new builder
     */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Returns the server's mount URL.
     *
     * @return the URL, without a trailing slash
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Starts uploading a file with default options.
     *
     * @param file a regular, non-empty file; not null
     * @return the running upload
     * @see #upload(Path, UploadOptions)
     */
    public Upload upload(Path file) {
        return upload(file, UploadOptions.defaults());
    }

    /**
     * Starts uploading a file and returns at once. If the resume store knows an upload of this file (same path,
     * size and modification time) to this server that the server still has, it is continued with the chunks the
     * server lacks; otherwise a new upload is created. Errors, including an unreadable file, arrive through
     * {@link Upload#result()}.
     *
     * @param file a regular, non-empty file; not null
     * @param options name, type, metadata and listener; not null
     * @return the running upload
     */
    public Upload upload(Path file, UploadOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        UploadTask task = new UploadTask(file, options, wire, resumeStore, executor, parallelism, chunkSize);
        task.start();
        return new Upload(task);
    }

    /**
     * Asks the server for an upload's status (with retries).
     *
     * @param uploadId the upload id, not null
     * @return the status
     * @throws io.torrin.core.TorrinException for the server's error, for example {@code UPLOAD_NOT_FOUND}
     * @throws TorrinTransportException if the server cannot be reached
     * @throws IllegalArgumentException if the id is not well-formed
     */
    public RemoteStatus status(String uploadId) {
        return status(wire.status(checkedId(uploadId), Wire.Calls.plain()));
    }

    /**
     * Aborts an upload on the server (with retries); its chunks are discarded.
     *
     * @param uploadId the upload id, not null
     * @throws io.torrin.core.TorrinException for the server's error, for example {@code UPLOAD_NOT_FOUND}
     * @throws TorrinTransportException if the server cannot be reached
     * @throws IllegalArgumentException if the id is not well-formed
     */
    public void abort(String uploadId) {
        wire.abort(checkedId(uploadId), Wire.Calls.plain());
    }

    /** Stops the client's own threads; an executor the application gave the builder is left alone. */
    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    private static String checkedId(String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        if (!UploadIds.isWellFormed(uploadId)) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return uploadId;
    }

    static RemoteStatus status(JsonNode answer) {
        String id = answer.path("uploadId").asText(null);
        String status = answer.path("status").asText(null);
        if (id == null || status == null) {
            throw new TorrinTransportException("the server's status answer is not the Torrin protocol", null);
        }
        Instant expires = null;
        if (answer.path("expiresAt").isTextual()) {
            try {
                expires = Instant.parse(answer.path("expiresAt").asText());
            } catch (DateTimeParseException e) {
                expires = null;
            }
        }
        return new RemoteStatus(
                id,
                status,
                answer.path("fileName").isTextual() ? answer.path("fileName").asText() : null,
                answer.path("fileSize").asLong(),
                answer.path("chunkSize").asLong(),
                answer.path("totalChunks").asInt(),
                indexes(answer.path("receivedChunks")),
                indexes(answer.path("missingChunks")),
                expires);
    }

    private static List<Integer> indexes(JsonNode array) {
        List<Integer> indexes = new ArrayList<>();
        array.forEach(index -> indexes.add(index.asInt()));
        return indexes;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "torrin-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds a {@link TorrinClient}; not thread-safe. */
    public static final class Builder {

        private final URI endpoint;
        private int parallelism = 4;
        private Long chunkSize;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ResumeStore resumeStore;
        private Supplier<Map<String, String>> headers = Map::of;
        private Executor executor;

        private Builder(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            String text = endpoint.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            URI normalized = URI.create(text);
            if (!"http".equalsIgnoreCase(normalized.getScheme()) && !"https".equalsIgnoreCase(normalized.getScheme())) {
                throw new IllegalArgumentException("the endpoint must be an http or https URL: " + endpoint);
            }
            this.endpoint = normalized;
        }

        /**
         * Sets how many chunks of one upload are in flight at once (default 4).
         *
         * @param chunks at least 1
         * @return this builder
         */
        public Builder parallelism(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1: " + chunks);
            }
            this.parallelism = chunks;
            return this;
        }

        /**
         * Sets the chunk size to ask for ({@code desiredChunkSize}); the server clamps it to its limits. Default:
         * the server's default.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder chunkSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("chunkSize must be at least 1: " + bytes);
            }
            this.chunkSize = bytes;
            return this;
        }

        /**
         * Sets how long opening a connection may take (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long one request may take from its first byte to the answer's headers (default 60 s): a chunk
         * whose connection stalls is abandoned after it and sent again. Choose it above the time one chunk takes
         * on the slowest link expected.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the retry policy (default {@link RetryPolicy#defaults()}).
         *
         * @param policy not null
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets where upload ids are remembered for resuming (default {@link ResumeStore#defaultStore()}, a
         * durable store in {@code ~/.torrin/resume}).
         *
         * @param store not null
         * @return this builder
         */
        public Builder resumeStore(ResumeStore store) {
            this.resumeStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets headers sent with every request, asked for anew before each attempt (so a token can be refreshed),
         * for example {@code () -> Map.of("Authorization", "Bearer " + tokens.current())}. The supplier is called
         * from worker threads and must be thread-safe.
         *
         * @param supplier not null; its maps not null
         * @return this builder
         */
        public Builder headers(Supplier<Map<String, String>> supplier) {
            this.headers = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /**
         * Sets the executor that runs uploads and the HTTP client (default: the client's own daemon threads, ended
         * by {@link TorrinClient#close()}). Each upload blocks up to {@code parallelism} threads while its chunks
         * are in flight, so a bounded executor must have at least that many per concurrent upload. The client
         * never shuts an executor it was given.
         *
         * @param executor not null
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public TorrinClient build() {
            if (resumeStore == null) {
                resumeStore = ResumeStore.defaultStore();
            }
            return new TorrinClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
