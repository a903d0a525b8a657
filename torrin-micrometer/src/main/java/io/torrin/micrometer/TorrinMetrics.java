/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.torrin.core.TorrinException;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadInstrumentation;
import io.torrin.server.UploadOperation;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Micrometer metrics and observations of one {@link io.torrin.server.UploadService}: pass it to
 * {@link io.torrin.server.UploadServiceBuilder#instrumentation}. The meters are listed, with their tags, in
 * {@link TorrinMeters} and in {@code docs/operations.md}. Tags have low cardinality (operation, protocol,
 * outcome, error code, storage and store kind, lock mode); the upload id appears only as a high-cardinality key of
 * the observations (traces).
 *
 * <p>Use one instance per service: it learns the service's storage and store kinds when the service is built.
 * Thread-safe. It registers its meters in the given registry and never closes the registry.
 *
 * <pre>{@code
 * UploadService service = UploadService.builder()
 *         .storage(storage)
 *         .store(store)
 *         .instrumentation(TorrinMetrics.builder(meterRegistry).observationRegistry(observations).build())
 *         .build();
 * }</pre>
 */
public final class TorrinMetrics implements UploadInstrumentation {

    /** The tag value of {@code protocol} for calls of the Java API (no HTTP protocol). */
    public static final String DIRECT_PROTOCOL = "api";

    /** The tag value of {@code protocol} for uploads the sweeper removed. */
    public static final String NO_PROTOCOL = "none";

    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final Tags commonTags;
    private final ConcurrentMap<String, AtomicInteger> receiving = new ConcurrentHashMap<>();
    private final ConcurrentMap<LockMode, Timer[]> lockTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<LockMode, Counter> lockTimeouts = new ConcurrentHashMap<>();
    /** The meters of the request path by their tag values, so that a request builds no meter id once warm. */
    private final ConcurrentMap<List<Object>, Meter> requestMeters = new ConcurrentHashMap<>();

    private volatile String storageKind = "unknown";
    private volatile String storeKind = "unknown";
    private final Timer sweeps;
    private final Counter sweepRemoved;

    private TorrinMetrics(Builder builder) {
        this.registry = builder.registry;
        this.observations = builder.observations;
        this.commonTags = builder.tags;
        Gauge.builder(TorrinMeters.UPLOADS_IN_FLIGHT, receiving, Map::size)
                .description("uploads with a chunk or append request receiving bytes on this instance")
                .tags(commonTags)
                .register(registry);
        this.sweeps = Timer.builder(TorrinMeters.SWEEPS)
                .description("runs of the expiry sweep")
                .tags(commonTags)
                .register(registry);
        this.sweepRemoved = Counter.builder(TorrinMeters.SWEEP_REMOVED)
                .description("uploads the expiry sweep removed (expired unfinished and finished past retention)")
                .tags(commonTags)
                .register(registry);
    }

    /**
     * Starts a builder.
     *
     * @param registry where the meters go, not null; not closed by Torrin
     * @return a builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Metrics without observations.
     *
     * @param registry where the meters go, not null
     * @return the instrumentation
     */
    public static TorrinMetrics of(MeterRegistry registry) {
        return builder(registry).build();
    }

    @Override
    public StorageDriver instrumentStorage(StorageDriver storage) {
        storageKind = storage.kind();
        return TimedProxy.wrap(
                StorageDriver.class,
                storage,
                registry,
                TorrinMeters.STORAGE_OPERATION,
                commonTags.and("storage", storageKind));
    }

    @Override
    public UploadStore instrumentStore(UploadStore store) {
        storeKind = store.kind();
        return TimedProxy.wrap(
                UploadStore.class, store, registry, TorrinMeters.STORE_OPERATION, commonTags.and("store", storeKind));
    }

    @Override
    public Trace start(UploadOperation operation, Optional<String> uploadId, RequestContext context) {
        return new OperationTrace(this, operation, uploadId, protocol(context));
    }

    @Override
    public void received(long bytes, RequestContext context) {
        String protocol = protocol(context);
        counter(
                        List.of(TorrinMeters.BYTES_RECEIVED, protocol),
                        () -> Counter.builder(TorrinMeters.BYTES_RECEIVED)
                                .description("bytes accepted and recorded (first stores of chunks, appended bytes)")
                                .baseUnit("bytes")
                                .tags(commonTags)
                                .tag("protocol", protocol)
                                .tag("storage", storageKind)
                                .register(registry))
                .increment(bytes);
    }

    @Override
    public void lockWaited(LockMode mode, long waitedNanos, boolean acquired) {
        Timer[] timers =
                lockTimers.computeIfAbsent(mode, m -> new Timer[] {lockTimer(m, "acquired"), lockTimer(m, "timeout")});
        timers[acquired ? 0 : 1].record(waitedNanos, TimeUnit.NANOSECONDS);
        if (!acquired) {
            lockTimeouts
                    .computeIfAbsent(
                            mode,
                            m -> Counter.builder(TorrinMeters.LOCK_TIMEOUTS)
                                    .description("lock waits that timed out (UPLOAD_LOCKED)")
                                    .tags(commonTags)
                                    .tag("mode", tag(m.name()))
                                    .register(registry))
                    .increment();
        }
    }

    @Override
    public void swept(int removed, long tookNanos) {
        sweeps.record(tookNanos, TimeUnit.NANOSECONDS);
        sweepRemoved.increment(removed);
    }

    @Override
    public void event(UploadEvent event) {
        String name = switch (event.type()) {
            case CREATED -> TorrinMeters.UPLOADS_CREATED;
            case COMPLETED -> TorrinMeters.UPLOADS_COMPLETED;
            case ABORTED -> TorrinMeters.UPLOADS_ABORTED;
            case EXPIRED -> TorrinMeters.UPLOADS_EXPIRED;
            case CHUNK_RECEIVED, PROGRESS -> null;
        };
        if (name == null) {
            return;
        }
        String protocol =
                event.protocol().orElse(event.type() == UploadEvent.Type.EXPIRED ? NO_PROTOCOL : DIRECT_PROTOCOL);
        counter(
                        List.of(name, protocol),
                        () -> Counter.builder(name)
                                .description("uploads that were "
                                        + event.type().name().toLowerCase(Locale.ROOT))
                                .tags(commonTags)
                                .tag("protocol", protocol)
                                .tag("storage", storageKind)
                                .register(registry))
                .increment();
    }

    /**
     * The timer of requests with these tag values.
     *
     * @param operation the operation
     * @param protocol the protocol tag
     * @param code the error code, or {@code none}
     * @return the timer, registered on first use
     */
    Timer operationTimer(UploadOperation operation, String protocol, String code) {
        return (Timer) requestMeters.computeIfAbsent(
                List.of(TorrinMeters.OPERATION, operation, protocol, code),
                key -> Timer.builder(TorrinMeters.OPERATION)
                        .description("Torrin requests by operation, protocol and outcome")
                        .tags(commonTags)
                        .tag("operation", operation.tagValue())
                        .tag("protocol", protocol)
                        .tag("outcome", code.equals("none") ? "success" : "error")
                        .tag("error", code)
                        .tag("storage", storageKind)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry));
    }

    /**
     * The counter of failed requests with these tag values.
     *
     * @param operation the operation
     * @param protocol the protocol tag
     * @param code the error code
     * @return the counter, registered on first use
     */
    Counter errorCounter(UploadOperation operation, String protocol, String code) {
        return counter(
                List.of(TorrinMeters.ERRORS, operation, protocol, code),
                () -> Counter.builder(TorrinMeters.ERRORS)
                        .description("failed Torrin requests by error code")
                        .tags(commonTags)
                        .tag("operation", operation.tagValue())
                        .tag("protocol", protocol)
                        .tag("code", code)
                        .register(registry));
    }

    private Counter counter(List<Object> key, Supplier<Counter> register) {
        return (Counter) requestMeters.computeIfAbsent(key, k -> register.get());
    }

    ObservationRegistry observations() {
        return observations;
    }

    /** Counts an upload as receiving bytes, until {@link #stoppedReceiving}. */
    void startedReceiving(String uploadId) {
        receiving.compute(uploadId, (id, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            c.incrementAndGet();
            return c;
        });
    }

    void stoppedReceiving(String uploadId) {
        receiving.computeIfPresent(uploadId, (id, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    static String protocol(RequestContext context) {
        return context.protocol().orElse(DIRECT_PROTOCOL);
    }

    static String errorCode(Throwable error) {
        return error instanceof TorrinException torrin ? torrin.code().name() : "INTERNAL_ERROR";
    }

    private Timer lockTimer(LockMode mode, String outcome) {
        return Timer.builder(TorrinMeters.LOCK_WAIT)
                .description("time waited for an upload's lock")
                .tags(commonTags)
                .tag("mode", tag(mode.name()))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    private static String tag(String constant) {
        return constant.toLowerCase(Locale.ROOT);
    }

    /** Configures a {@link TorrinMetrics}. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private ObservationRegistry observations = ObservationRegistry.NOOP;
        private Tags tags = Tags.empty();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Makes one observation per operation (a span per request where the application has tracing), named
         * {@value TorrinMeters#OBSERVATION} with the low-cardinality keys {@code torrin.operation} and
         * {@code torrin.protocol} and the high-cardinality key {@code torrin.upload.id}. Default: none.
         *
         * @param observations the application's observation registry, not null
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry observations) {
            this.observations = Objects.requireNonNull(observations, "observations");
            return this;
        }

        /**
         * Adds tags to every meter, for example to tell two services of one application apart.
         *
         * @param tags the tags, not null; keep their values few
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * Builds the instrumentation; its meters that do not depend on a request are registered now.
         *
         * @return the instrumentation
         */
        public TorrinMetrics build() {
            return new TorrinMetrics(this);
        }
    }
}
