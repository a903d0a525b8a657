/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A trace of the instrumentation whose failures are logged and ignored, as its contract promises. */
final class SafeTrace implements UploadInstrumentation.Trace {

    private static final Logger LOG = LoggerFactory.getLogger(SafeTrace.class);

    private final UploadInstrumentation.Trace delegate;

    private SafeTrace(UploadInstrumentation.Trace delegate) {
        this.delegate = delegate;
    }

    static UploadInstrumentation.Trace start(
            UploadInstrumentation instrumentation,
            UploadOperation operation,
            Optional<String> uploadId,
            RequestContext context) {
        try {
            UploadInstrumentation.Trace trace = instrumentation.start(operation, uploadId, context);
            return trace == null ? UploadInstrumentation.Trace.NONE : new SafeTrace(trace);
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed to start a trace of {}", operation, e);
            return UploadInstrumentation.Trace.NONE;
        }
    }

    @Override
    public void uploadId(String uploadId) {
        try {
            delegate.uploadId(uploadId);
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed on an upload id", e);
        }
    }

    @Override
    public void failed(Throwable error) {
        try {
            delegate.failed(error);
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed on a failure", e);
        }
    }

    @Override
    public void end() {
        try {
            delegate.end();
        } catch (RuntimeException e) {
            LOG.warn("Upload instrumentation failed to end a trace", e);
        }
    }
}
