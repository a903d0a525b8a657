/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.server.UploadService;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code torrin} health contributor of Actuator: {@code torrin.storage} (the storage driver's
 * {@link HealthCheck}: the local directory writable with free space above {@code torrin.health.min-free-space},
 * or the S3 bucket reachable) and {@code torrin.store} (the file store writable, a valid JDBC connection, a Redis
 * {@code PING}). A backend without {@link HealthCheck} reports UNKNOWN. Off with
 * {@code management.health.torrin.enabled=false}; one member off with {@code torrin.health.storage-enabled=false}
 * or {@code torrin.health.store-enabled=false}; replaced by a bean of the application's named
 * {@code torrinHealthContributor}.
 */
@AutoConfiguration(after = TorrinAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(UploadService.class)
@ConditionalOnEnabledHealthIndicator("torrin")
public class TorrinHealthAutoConfiguration {

    /**
     * The contributor.
     *
     * @param properties the properties
     * @param storage the storage driver
     * @param store the session store
     * @return the composite of storage and store
     */
    @Bean
    @ConditionalOnMissingBean(name = "torrinHealthContributor")
    public HealthContributor torrinHealthContributor(
            TorrinProperties properties, StorageDriver storage, UploadStore store) {
        Map<String, HealthIndicator> members = new LinkedHashMap<>();
        if (properties.getHealth().isStorageEnabled()) {
            members.put("storage", indicator(storage, storage.kind()));
        }
        if (properties.getHealth().isStoreEnabled()) {
            members.put("store", indicator(store, store.kind()));
        }
        return CompositeHealthContributor.fromMap(members);
    }

    private static HealthIndicator indicator(Object backend, String kind) {
        return () -> {
            if (!(backend instanceof HealthCheck check)) {
                return Health.unknown()
                        .withDetail("kind", kind)
                        .withDetail("reason", backend.getClass().getName() + " does not implement HealthCheck")
                        .build();
            }
            var result = check.checkHealth();
            Health.Builder health = result.isUp() ? Health.up() : Health.down();
            health.withDetail("kind", kind);
            result.details().forEach(health::withDetail);
            return health.build();
        };
    }
}
