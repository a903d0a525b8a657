/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.torrin.micrometer.TorrinMetrics;
import io.torrin.server.UploadInstrumentation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Instruments the upload service with {@code torrin-micrometer} when the application has a {@link MeterRegistry}
 * (Actuator's): meters in that registry, and one observation per request in the application's
 * {@link ObservationRegistry} when it has one (a span per request with tracing). Off with
 * {@code torrin.metrics.enabled=false}; replaced by an {@link UploadInstrumentation} bean of the application's.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
        },
        before = TorrinAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, TorrinMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "torrin.metrics", name = "enabled", matchIfMissing = true)
public class TorrinMetricsAutoConfiguration {

    /**
     * The instrumentation.
     *
     * @param registry the application's meter registry
     * @param observations the application's observation registry, if any
     * @return the instrumentation
     */
    @Bean
    @ConditionalOnMissingBean(UploadInstrumentation.class)
    public TorrinMetrics torrinMetrics(MeterRegistry registry, ObjectProvider<ObservationRegistry> observations) {
        TorrinMetrics.Builder builder = TorrinMetrics.builder(registry);
        observations.ifAvailable(builder::observationRegistry);
        return builder.build();
    }
}
