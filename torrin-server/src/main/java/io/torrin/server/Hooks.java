/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's {@link UploadHooks} in order on the request's thread: a hook's {@link TorrinException}
 * reaches the caller as it is, anything else a hook throws becomes {@code INTERNAL_ERROR}. Thread-safe.
 */
final class Hooks {

    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern FIELD_VALUE = Pattern.compile("[\\x20-\\x7E]{0,8192}");

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

    /**
     * Collects the response fields of every hook's {@link UploadHooks#afterComplete}; a hook that throws, or a
     * field that breaks the rules, is logged and left out.
     *
     * @param result the completed upload
     * @param context the caller
     * @return the fields, in the hooks' order
     */
    Map<String, String> afterComplete(CompleteResult result, RequestContext context) {
        if (hooks.isEmpty()) {
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (UploadHooks hook : hooks) {
            Map<String, String> added;
            try {
                added = hook.afterComplete(result, context);
            } catch (RuntimeException e) {
                LOG.warn("A completion hook failed on upload {}; its fields are left out", result.uploadId(), e);
                continue;
            }
            if (added == null) {
                continue;
            }
            added.forEach((name, value) -> {
                if (name != null
                        && FIELD_NAME.matcher(name).matches()
                        && value != null
                        && FIELD_VALUE.matcher(value).matches()) {
                    fields.put(name, value);
                } else {
                    LOG.warn(
                            "A completion hook's field {} of upload {} is not a valid response field; left out",
                            Errors.printable(String.valueOf(name), 80),
                            result.uploadId());
                }
            });
        }
        return fields;
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
