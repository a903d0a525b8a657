/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.StorageLocation;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import io.torrin.testkit.UploadServiceCompatibilityKit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end on the production default pair: local disk and the durable file store. */
class LocalUploadServiceCompatibilityTest extends UploadServiceCompatibilityKit {

    @TempDir
    Path base;

    @Override
    protected StorageDriver createDriver() {
        return LocalStorageDriver.create(base.resolve("uploads"));
    }

    @Override
    protected UploadStore createStore() {
        return FileUploadStore.create(base.resolve("uploads/.torrin"));
    }

    @Override
    protected InputStream openCompleted(StorageLocation location) throws IOException {
        return Files.newInputStream(((LocalStorageDriver) driver).resolve(location));
    }
}
