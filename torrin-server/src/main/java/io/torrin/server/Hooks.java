/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's {@link UploadHooks} in order on the request's thread: a hook's {@link TorrinException}
 * reaches the caller as it is, anything else a hook throws becomes {@code INTERNAL_ERROR}. Thread-safe.
 */
final class Hooks {

    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);

    private final List<UploadHooks> hooks;

    Hooks(List<UploadHooks> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    /**
     * Lets every hook rewrite an init request in turn, validating each result.
     *
     * @param request the validated request
     * @param context the caller
     * @param validate the check every rewritten request must pass
     * @return the request to go on with
     */
    InitUploadRequest beforeInit(
            InitUploadRequest request, RequestContext context, UnaryOperator<InitUploadRequest> validate) {
        for (UploadHooks hook : hooks) {
            InitUploadRequest current = request;
            request = call(() -> hook.beforeInit(current, context));
            if (request == null) {
                throw new TorrinException(ErrorCode.INTERNAL_ERROR, "an init hook returned no request");
            }
            request = validate.apply(request);
        }
        return request;
    }

    /**
     * Calls every hook.
     *
     * @param call what to call on each hook
     */
    void run(Consumer<UploadHooks> call) {
        for (UploadHooks hook : hooks) {
            call(() -> {
                call.accept(hook);
                return null;
            });
        }
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (TorrinException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("An upload hook failed", e);
            throw new TorrinException(ErrorCode.INTERNAL_ERROR, "an upload hook failed", Map.of(), e);
        }
    }
}
