/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * TusJsClientOptions of one {@link NodeTusClientRunner} run, mapped onto tus-js-client's options. Fluent and mutable; not thread-safe; read when a run
 * starts, so one instance may be reused for later runs.
 */
public final class TusJsClientOptions {

    private long chunkSize;
    private long stopAfterBytes = -1;
    private boolean terminateOnStop;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean uploadLengthDeferred;
    private int parallelUploads = 1;
    private boolean uploadDataDuringCreation;
    private boolean overridePatchMethod;
    private String protocol;
    Path urlStorage;
    private List<Long> retryDelays = List.of();
    Duration timeout = NodeTusClientRunner.DEFAULT_TIMEOUT;

    /** Creates the defaults: whole file in one PATCH, no stop, no retries, 120 seconds. */
    public TusJsClientOptions() {}

    /**
     * Returns new default options.
     *
     * @return the options
     */
    public static TusJsClientOptions defaults() {
        return new TusJsClientOptions();
    }

    /**
     * Sets the largest PATCH body ({@code chunkSize}); by default the whole rest of the file in one request.
     *
     * @param bytes a positive size
     * @return these options
     */
    public TusJsClientOptions chunkSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("chunkSize must be positive: " + bytes);
        }
        this.chunkSize = bytes;
        return this;
    }

    /**
     * Aborts the upload ({@code upload.abort()} from {@code onChunkComplete}) once the server has acknowledged at
     * least this many bytes: for a single upload once its offset reaches it, for a parallel one once the parts'
     * acknowledged bytes of this run add up to it. No further request starts; the upload stays resumable. The
     * run ends with {@link NodeTusClientRunner.Result#aborted()} unless the file was complete first.
     *
     * @param bytes a non-negative count
     * @return these options
     */
    public TusJsClientOptions stopAfterBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("stopAfterBytes must not be negative: " + bytes);
        }
        this.stopAfterBytes = bytes;
        return this;
    }

    /**
     * With {@link #stopAfterBytes}, aborts with {@code abort(true)}, which also deletes the upload (termination
     * extension, {@code DELETE}).
     *
     * @return these options
     */
    public TusJsClientOptions terminateOnStop() {
        this.terminateOnStop = true;
        return this;
    }

    /**
     * Adds or replaces an {@code Upload-Metadata} entry; {@code filename} (the file's name) and {@code filetype}
     * ({@code application/octet-stream}) are sent unless replaced.
     *
     * @param key the key (no spaces, commas or {@code =})
     * @param value the value
     * @return these options
     */
    public TusJsClientOptions metadata(String key, String value) {
        if (key.isEmpty() || key.contains("=")) {
            throw new IllegalArgumentException("bad metadata key: " + key);
        }
        metadata.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds a request header sent with every request.
     *
     * @param name the header name
     * @param value the value
     * @return these options
     */
    public TusJsClientOptions header(String name, String value) {
        if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("bad header name: " + name);
        }
        headers.put(name, Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Sets {@code uploadLengthDeferred}: creation with {@code Upload-Defer-Length: 1}, the length sent with the
     * last PATCH. Needed again when resuming such an upload.
     *
     * @param deferred whether to defer
     * @return these options
     */
    public TusJsClientOptions uploadLengthDeferred(boolean deferred) {
        this.uploadLengthDeferred = deferred;
        return this;
    }

    /**
     * Sets {@code parallelUploads}: more than 1 uploads that many partial uploads ({@code Upload-Concat:
     * partial}) and then creates the final one ({@code Upload-Concat: final;...}), the concatenation
     * extension. Not with {@link NodeTusClientRunner#resume} or {@link #uploadLengthDeferred}; resume such an
     * upload with {@link NodeTusClientRunner#resumePrevious}. The final URL is known only at the end.
     *
     * @param parts the number of parts, at least 1
     * @return these options
     */
    public TusJsClientOptions parallelUploads(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parallelUploads must be at least 1: " + parts);
        }
        this.parallelUploads = parts;
        return this;
    }

    /**
     * Sets {@code uploadDataDuringCreation}: the first chunk goes in the creation {@code POST}
     * (creation-with-upload). Ignored by tus-js-client together with {@link #uploadLengthDeferred}.
     *
     * @param withUpload whether to send data with the creation request
     * @return these options
     */
    public TusJsClientOptions uploadDataDuringCreation(boolean withUpload) {
        this.uploadDataDuringCreation = withUpload;
        return this;
    }

    /**
     * Sets {@code overridePatchMethod}: PATCH is sent as {@code POST} with {@code X-HTTP-Method-Override: PATCH}.
     *
     * @param override whether to override
     * @return these options
     */
    public TusJsClientOptions overridePatchMethod(boolean override) {
        this.overridePatchMethod = override;
        return this;
    }

    /**
     * Keeps fingerprints and upload URLs in this JSON file (tus-js-client's {@code FileUrlStorage}, with
     * {@code storeFingerprintForResuming}); needed by {@link NodeTusClientRunner#resumePrevious}.
     *
     * @param file the storage file (need not exist)
     * @return these options
     */
    public TusJsClientOptions urlStorage(Path file) {
        this.urlStorage = file.toAbsolutePath();
        return this;
    }

    /**
     * Sets tus-js-client's {@code retryDelays}; by default none, so every error fails the run.
     *
     * @param delays the delays in milliseconds
     * @return these options
     */
    public TusJsClientOptions retryDelays(List<Long> delays) {
        this.retryDelays = List.copyOf(delays);
        return this;
    }

    /**
     * Sets the time limit of the run, after which the process is killed.
     *
     * @param limit a positive duration
     * @return these options
     */
    public TusJsClientOptions timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + limit);
        }
        this.timeout = limit;
        return this;
    }

    /**
     * Selects the protocol tus-js-client speaks: {@code tus-v1} (its default), or the IETF resumable-upload draft's
     * interop versions {@code ietf-draft-03} and {@code ietf-draft-05}.
     *
     * @param name the protocol name, not null
     * @return these options
     */
    public TusJsClientOptions protocol(String name) {
        if (!List.of("tus-v1", "ietf-draft-03", "ietf-draft-05").contains(name)) {
            throw new IllegalArgumentException("unknown tus-js-client protocol: " + name);
        }
        this.protocol = name;
        return this;
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>();
        if (chunkSize > 0) {
            args.addAll(List.of("--chunk-size", Long.toString(chunkSize)));
        }
        if (stopAfterBytes >= 0) {
            args.addAll(List.of("--stop-after", Long.toString(stopAfterBytes)));
            if (terminateOnStop) {
                args.add("--terminate");
            }
        }
        metadata.forEach((key, value) -> args.addAll(List.of("--metadata", key + "=" + value)));
        headers.forEach((name, value) -> args.addAll(List.of("--header", name + "=" + value)));
        if (uploadLengthDeferred) {
            args.add("--deferred-length");
        }
        if (parallelUploads > 1) {
            args.addAll(List.of("--parallel", Integer.toString(parallelUploads)));
        }
        if (uploadDataDuringCreation) {
            args.add("--data-during-creation");
        }
        if (overridePatchMethod) {
            args.add("--override-patch-method");
        }
        if (urlStorage != null) {
            args.addAll(List.of("--url-storage", urlStorage.toString()));
        }
        if (!retryDelays.isEmpty()) {
            args.addAll(List.of(
                    "--retry-delays",
                    String.join(",", retryDelays.stream().map(String::valueOf).toList())));
        }
        if (protocol != null) {
            args.addAll(List.of("--protocol", protocol));
        }
        return args;
    }
}
