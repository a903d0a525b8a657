/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import io.micrometer.observation.Observation;
import io.torrin.server.UploadInstrumentation;
import io.torrin.server.UploadOperation;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One operation being measured: its timer, error counter, in-flight count and observation. */
final class OperationTrace implements UploadInstrumentation.Trace {

    private final TorrinMetrics metrics;
    private final UploadOperation operation;
    private final String protocol;
    private final long start = System.nanoTime();
    private final boolean receives;
    private final Observation observation;
    private final Observation.Scope scope;
    private Optional<String> uploadId;
    private Throwable error;

    OperationTrace(TorrinMetrics metrics, UploadOperation operation, Optional<String> uploadId, String protocol) {
        this.metrics = metrics;
        this.operation = operation;
        this.protocol = protocol;
        this.uploadId = uploadId;
        this.receives =
                (operation == UploadOperation.CHUNK || operation == UploadOperation.APPEND) && uploadId.isPresent();
        if (receives) {
            metrics.startedReceiving(uploadId.get());
        }
        if (metrics.observations().isNoop()) {
            this.observation = null;
            this.scope = null;
        } else {
            this.observation = Observation.createNotStarted(TorrinMeters.OBSERVATION, metrics.observations())
                    .contextualName("torrin " + operation.tagValue())
                    .lowCardinalityKeyValue("torrin.operation", operation.tagValue())
                    .lowCardinalityKeyValue("torrin.protocol", protocol);
            uploadId.ifPresent(id -> observation.highCardinalityKeyValue("torrin.upload.id", id));
            observation.start();
            this.scope = observation.openScope();
        }
    }

    @Override
    public void uploadId(String id) {
        uploadId = Optional.of(id);
        if (observation != null) {
            observation.highCardinalityKeyValue("torrin.upload.id", id);
        }
    }

    @Override
    public void failed(Throwable failure) {
        this.error = failure;
        if (observation != null) {
            observation.error(failure);
        }
    }

    @Override
    public void end() {
        long took = System.nanoTime() - start;
        if (receives) {
            metrics.stoppedReceiving(uploadId.get());
        }
        String code = error == null ? "none" : TorrinMetrics.errorCode(error);
        metrics.operationTimer(operation, protocol, code).record(took, TimeUnit.NANOSECONDS);
        if (error != null) {
            metrics.errorCounter(operation, protocol, code).increment();
        }
        if (observation != null) {
            scope.close();
            observation.stop();
        }
    }
}
