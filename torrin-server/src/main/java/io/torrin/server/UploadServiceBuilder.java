/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Builds an {@link UploadService}. Not thread-safe; the built service does not see later changes.
 *
 * <p>Defaults: chunk size 1 MiB within [256 KiB, 100 MiB]; at most 100,000 chunks per upload; no maximum
 * file size beyond what the chunk limits and the storage allow; 16 KiB of metadata; uploads expire 24 hours
 * after their last chunk; completed and canceled uploads are remembered for 24 hours; lock waits of 10
 * seconds; an expiry sweep every minute; the system UTC clock; events on one background thread.
 */
public final class UploadServiceBuilder {
    StorageDriver storage;
    UploadStore store;
    Optional<UploadLocks> locks = Optional.empty();
    long defaultChunkSize = 1024 * 1024;
    long minChunkSize = 256 * 1024;
    long maxChunkSize = 100 * 1024 * 1024;
    int maxChunks = 100_000;
    long maxFileSize = Long.MAX_VALUE;
    int maxMetadataBytes = 16 * 1024;
    Duration uploadTtl = Duration.ofHours(24);
    Duration expiryStep = Duration.ofMinutes(1);
    Duration finishedRetention = Duration.ofHours(24);
    Duration lockTimeout = Duration.ofSeconds(10);
    Duration sweepInterval = Duration.ofMinutes(1);
    long minimumDataRate;
    int maxUnfinishedUploads;
    Duration dataRateWindow = Duration.ofSeconds(30);
    Clock clock = Clock.systemUTC();
    final List<UploadHooks> hooks = new ArrayList<>();
    final List<UploadListener> listeners = new ArrayList<>();
    Optional<Executor> eventExecutor = Optional.empty();
    UploadInstrumentation instrumentation = UploadInstrumentation.NONE;
    Duration progressInterval = Duration.ofSeconds(1);

    UploadServiceBuilder() {}

    /**
     * Sets where bytes go. Required.
     *
     * @param storage the driver, not null; not closed by the service
     * @return this builder
     */
    public UploadServiceBuilder storage(StorageDriver storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        return this;
    }

    /**
     * Sets where session state goes. Required.
     *
     * @param store the store, not null; not closed by the service
     * @return this builder
     */
    public UploadServiceBuilder store(UploadStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Overrides the locks; by default the store's own {@link UploadStore#locks()}.
     *
     * @param locks the locks, not null
     * @return this builder
     */
    public UploadServiceBuilder locks(UploadLocks locks) {
        Objects.requireNonNull(locks, "locks");
        this.locks = Optional.of(locks);
        return this;
    }

    /**
     * Sets the chunk size used when a client has no wish. Default 1 MiB.
     *
     * @param bytes the size, clamped into the chunk size range
     * @return this builder
     */
    public UploadServiceBuilder defaultChunkSize(long bytes) {
        this.defaultChunkSize = positive(bytes, "defaultChunkSize");
        return this;
    }

    /**
     * Sets the chunk size range. Defaults 256 KiB and 100 MiB. The storage's constraints narrow it further.
     *
     * @param min the smallest chunk size for every chunk but the last, at least 1
     * @param max the largest chunk size, at least {@code min}
     * @return this builder
     */
    public UploadServiceBuilder chunkSizeLimits(long min, long max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("invalid chunk size range [" + min + ", " + max + "]");
        }
        this.minChunkSize = min;
        this.maxChunkSize = max;
        return this;
    }

    /**
     * Sets the most chunks one upload may have; larger files get larger chunks. Default 100,000.
     *
     * @param maxChunks at least 1
     * @return this builder
     */
    public UploadServiceBuilder maxChunks(int maxChunks) {
        this.maxChunks = (int) positive(maxChunks, "maxChunks");
        return this;
    }

    /**
     * Sets the largest file accepted. Default: no limit beyond the chunk limits and the storage's.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public UploadServiceBuilder maxFileSize(long bytes) {
        this.maxFileSize = positive(bytes, "maxFileSize");
        return this;
    }

    /**
     * Sets the most UTF-8 bytes of metadata keys and values together. Default 16 KiB.
     *
     * @param bytes at least 0
     * @return this builder
     */
    public UploadServiceBuilder maxMetadataBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxMetadataBytes must not be negative");
        }
        this.maxMetadataBytes = bytes;
        return this;
    }

    /**
     * Sets how long an unfinished upload lives after its creation or its latest chunk. Default 24 hours.
     *
     * @param ttl positive, not null
     * @return this builder
     */
    public UploadServiceBuilder uploadTtl(Duration ttl) {
        this.uploadTtl = positive(ttl, "uploadTtl");
        return this;
    }

    /**
     * Sets how far an upload's expiry must move before activity writes it. A chunk (or an append) earns the upload
     * {@link #uploadTtl} from now; if the stored expiry is already within {@code step} of that, it is left as it is,
     * so most marks write only the chunk bitmap or offset (in the JDBC store, for example, the indexed expiry column
     * is then not touched, and PostgreSQL can update the row in place). An upload may therefore expire up to
     * {@code step} earlier than {@code uploadTtl} after its latest chunk. Default 1 minute; {@link Duration#ZERO}
     * writes the expiry on every activity. The build fails if the step is not shorter than {@code uploadTtl}.
     *
     * @param step zero or positive, not null
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public UploadServiceBuilder expiryStep(Duration step) {
        if (Objects.requireNonNull(step, "expiryStep").isNegative()) {
            throw new IllegalArgumentException("expiryStep must not be negative: " + step);
        }
        this.expiryStep = step;
        return this;
    }

    /**
     * Sets how long completed and canceled uploads are remembered, so that late requests get
     * {@code UPLOAD_ALREADY_COMPLETED} or {@code UPLOAD_CANCELED} instead of {@code UPLOAD_NOT_FOUND}.
     * Default 24 hours.
     *
     * @param retention positive, not null
     * @return this builder
     */
    public UploadServiceBuilder finishedRetention(Duration retention) {
        this.finishedRetention = positive(retention, "finishedRetention");
        return this;
    }

    /**
     * Sets the longest wait for an upload's lock before {@code UPLOAD_LOCKED}. Default 10 seconds.
     *
     * @param timeout zero or positive, not null
     * @return this builder
     */
    public UploadServiceBuilder lockTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must not be negative");
        }
        this.lockTimeout = timeout;
        return this;
    }

    /**
     * Sets how often the expiry sweep runs in the background; {@link Duration#ZERO} turns it off (call
     * {@link UploadService#sweepExpired()} yourself then). Default one minute.
     *
     * @param interval zero or positive, not null
     * @return this builder
     */
    public UploadServiceBuilder sweepInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("sweepInterval must not be negative");
        }
        this.sweepInterval = interval;
        return this;
    }

    /**
     * Sets how many uploads created through this service may be unfinished at once; creating one more is refused
     * with {@code TOO_MANY_UPLOADS} (HTTP 429, retryable) until one completes, is aborted or expires. The count is
     * this instance's, since it started (several instances each have their own); it is a guard against creation
     * floods, not a quota: limit creations per caller with a hook (see {@link CreationLimit}). Default: no limit (0).
     *
     * @param max the most unfinished uploads, 0 for no limit
     * @return this builder
     */
    public UploadServiceBuilder maxUnfinishedUploads(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxUnfinishedUploads must not be negative");
        }
        this.maxUnfinishedUploads = max;
        return this;
    }

    /**
     * Sets the slowest a request body may arrive: a chunk or append whose body brings fewer than
     * {@code bytesPerSecond × window} bytes within one window is ended (an append keeps what it stored, a chunk is
     * not recorded and may be sent again), so that a client trickling bytes cannot hold a worker thread and the
     * upload's lock indefinitely. Checked every second. Default: off (0); the Spring Boot starter sets 1 KiB/s over
     * 30 seconds.
     *
     * @param bytesPerSecond the minimum rate, 0 to turn the check off
     * @param window the span the rate is measured over, at least one second, not null
     * @return this builder
     */
    public UploadServiceBuilder minimumDataRate(long bytesPerSecond, Duration window) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must not be negative");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the data rate window must be at least one second: " + window);
        }
        this.minimumDataRate = bytesPerSecond;
        this.dataRateWindow = window;
        return this;
    }

    /**
     * Sets the clock for creation times and expiry. Default the system UTC clock.
     *
     * @param clock the clock, not null
     * @return this builder
     */
    public UploadServiceBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Adds hooks; they run in the order added.
     *
     * @param hook the hooks, not null
     * @return this builder
     */
    public UploadServiceBuilder hook(UploadHooks hook) {
        hooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Adds a listener; listeners get each event in the order added.
     *
     * @param listener the listener, not null
     * @return this builder
     */
    public UploadServiceBuilder listener(UploadListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Sets the executor that delivers events; the service does not shut it down. Default: one background
     * thread owned by the service. {@code Runnable::run} delivers on the request's thread.
     *
     * @param executor the executor, not null
     * @return this builder
     */
    public UploadServiceBuilder eventExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        this.eventExecutor = Optional.of(executor);
        return this;
    }

    /**
     * Sets what measures the service (metrics, traces); {@code torrin-micrometer} provides one. Default:
     * {@link UploadInstrumentation#NONE}.
     *
     * @param instrumentation the instrumentation, not null
     * @return this builder
     */
    public UploadServiceBuilder instrumentation(UploadInstrumentation instrumentation) {
        this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
        return this;
    }

    /**
     * Sets the least time between two {@link UploadEvent.Type#PROGRESS} events of one upload while its bytes
     * arrive. Default one second; zero publishes none. Progress events are only made when a listener is set.
     *
     * @param interval the interval, zero or positive, not null
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public UploadServiceBuilder progressInterval(Duration interval) {
        if (Objects.requireNonNull(interval, "interval").isNegative()) {
            throw new IllegalArgumentException("progressInterval must not be negative: " + interval);
        }
        this.progressInterval = interval;
        return this;
    }

    /**
     * Builds the service and starts its background threads.
     *
     * @return the service
     * @throws NullPointerException if the storage or the store is missing
     * @throws IllegalArgumentException if the chunk limits do not fit the storage's constraints, or the expiry
     *     step is not shorter than the upload TTL
     */
    public UploadService build() {
        if (expiryStep.compareTo(uploadTtl) >= 0) {
            throw new IllegalArgumentException(
                    "expiryStep (" + expiryStep + ") must be shorter than uploadTtl (" + uploadTtl + ")");
        }
        return new UploadService(this);
    }

    private static long positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
