/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.redis;

import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.LeaseLocks;
import io.torrin.testkit.DurableUploadStoreCompatibilityKit;
import io.torrin.testkit.SharedLocksCompatibilityKit;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The store and shared-lock contracts on a real Redis. */
class RedisStoreCompatibilityTest {

    @Nested
    @DisplayName("Redis store")
    class Store extends DurableUploadStoreCompatibilityKit {
        private final String prefix = RedisServer.uniquePrefix();

        @Override
        protected UploadStore createStore() {
            return RedisUploadStore.builder(RedisServer.client())
                    .keyPrefix(prefix)
                    .build();
        }

        @Override
        protected UploadStore reopenStore() {
            return createStore();
        }
    }

    @Nested
    @DisplayName("Redis locks")
    class Locks extends SharedLocksCompatibilityKit {
        private final String prefix = RedisServer.uniquePrefix();

        @Override
        protected LeaseLocks createLocks(Duration lease) {
            return (LeaseLocks) RedisUploadStore.builder(RedisServer.client())
                    .keyPrefix(prefix)
                    .lockLease(lease)
                    .build()
                    .locks();
        }
    }
}
