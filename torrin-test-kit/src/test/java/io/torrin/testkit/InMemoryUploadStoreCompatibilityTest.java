/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.UploadStore;

class InMemoryUploadStoreCompatibilityTest extends UploadStoreCompatibilityKit {

    @Override
    protected UploadStore createStore() {
        return InMemoryUploadStore.create();
    }
}
