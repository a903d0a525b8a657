/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A hook that limits how many uploads one caller may create within a period (a sliding window), so that one client
 * cannot create thousands of uploads a minute: the next creation is refused with {@code TOO_MANY_UPLOADS} (HTTP
 * 429 with {@code Retry-After}) until the oldest creation of the window has aged out. Callers are told apart by a
 * key the application chooses: by default the principal's name, else the {@code X-Forwarded-For} or
 * {@code Remote-Address} header (the servlet adapter does not set one; name the header your proxy sets), else one
 * shared key for anonymous callers.
 *
 * <pre>{@code
 * UploadService service = UploadService.builder()
 *     .storage(storage).store(store)
 *     .hook(CreationLimit.perCaller(100, Duration.ofMinutes(1)))
 *     .build();
 * }</pre>
 *
 * <p>Counts are kept in this process (per instance), for the callers seen within the latest window. Thread-safe.
 */
public final class CreationLimit implements UploadHooks {

    private final int max;
    private final Duration window;
    private final Function<RequestContext, String> callerKey;
    private final Clock clock;
    private final Map<String, List<Instant>> creations = new ConcurrentHashMap<>();

    private CreationLimit(int max, Duration window, Function<RequestContext, String> callerKey, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.max = max;
        this.window = window;
        this.callerKey = Objects.requireNonNull(callerKey, "callerKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Limits each caller, by principal name (else forwarded address, else one anonymous key), to {@code max}
     * creations per {@code window}.
     *
     * @param max the most creations per window, at least 1
     * @param window the window, positive, not null
     * @return the hook
     */
    public static CreationLimit perCaller(int max, Duration window) {
        return perCaller(max, window, CreationLimit::defaultKey, Clock.systemUTC());
    }

    /**
     * Limits each caller, as told apart by {@code callerKey}, to {@code max} creations per {@code window}.
     *
     * @param max the most creations per window, at least 1
     * @param window the window, positive, not null
     * @param callerKey the key of a request's caller, not null; must not return null
     * @param clock the clock, not null
     * @return the hook
     */
    public static CreationLimit perCaller(
            int max, Duration window, Function<RequestContext, String> callerKey, Clock clock) {
        return new CreationLimit(max, window, callerKey, clock);
    }

    /**
     * Counts the creation, or refuses it if the caller has reached the limit.
     *
     * @param request the request, returned unchanged
     * @param context the caller
     * @return the request
     * @throws TorrinException {@code TOO_MANY_UPLOADS} when the caller reached the limit in the current window
     */
    @Override
    public InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
        Instant now = clock.instant();
        Instant horizon = now.minus(window);
        String key = Objects.requireNonNull(callerKey.apply(context), "caller key");
        creations
                .entrySet()
                .removeIf(entry ->
                        !entry.getValue().get(entry.getValue().size() - 1).isAfter(horizon));
        long[] refusedFor = {0};
        creations.compute(key, (k, old) -> {
            List<Instant> recent = new ArrayList<>();
            if (old != null) {
                old.stream().filter(time -> time.isAfter(horizon)).forEach(recent::add);
            }
            if (recent.size() >= max) {
                refusedFor[0] =
                        Math.max(1, Duration.between(horizon, recent.get(0)).toSeconds() + 1);
                return List.copyOf(recent);
            }
            recent.add(now);
            return List.copyOf(recent);
        });
        if (refusedFor[0] > 0) {
            throw new TorrinException(
                    ErrorCode.TOO_MANY_UPLOADS,
                    "too many uploads created; retry in " + refusedFor[0] + " s",
                    Map.of("limit", max, "retryAfterSeconds", refusedFor[0]));
        }
        return request;
    }

    private static String defaultKey(RequestContext context) {
        return context.principal()
                .map(Principal::getName)
                .map(name -> "user:" + name)
                .or(() -> context.header("X-Forwarded-For").map(value -> "addr:" + value.split(",")[0].trim()))
                .or(() -> context.header("Remote-Address").map(value -> "addr:" + value))
                .orElse("anonymous");
    }
}
