/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadIds;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.spi.StorageDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class InMemoryStorageDriverCompatibilityTest extends StorageDriverCompatibilityKit {

    @Override
    protected StorageDriver createDriver() {
        return InMemoryStorageDriver.create();
    }

    @Override
    protected InputStream openCompleted(StorageLocation location) throws IOException {
        return new ByteArrayInputStream(((InMemoryStorageDriver) driver)
                .read(location)
                .orElseThrow(() -> new IOException("no file at " + location)));
    }

    @Override
    protected Optional<StorageLocation> missingLocation(StorageLocation completed) {
        return Optional.of(new StorageLocation("memory", Map.of("key", UploadIds.generate())));
    }

    /** The memory driver has no directory to leave: what it must refuse is a location it did not issue. */
    @Override
    protected List<StorageLocation> escapingLocations(StorageLocation completed) {
        String key = completed.attribute("key").orElseThrow();
        return List.of(
                new StorageLocation("memory", Map.of()),
                new StorageLocation("memory", Map.of("path", key)),
                new StorageLocation("memory", Map.of("key", "../" + key)));
    }
}
