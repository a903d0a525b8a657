/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.testkit.StorageDriverCompatibilityKit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageDriverCompatibilityTest {

    @Nested
    class FsyncEachChunkByUploadId extends StorageDriverCompatibilityKit {
        @TempDir
        Path base;

        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.create(base);
        }

        @Override
        protected InputStream openCompleted(StorageLocation location) throws IOException {
            return Files.newInputStream(((LocalStorageDriver) driver).resolve(location));
        }
    }

    @Nested
    class FsyncOnCompleteByOriginalName extends StorageDriverCompatibilityKit {
        @TempDir
        Path base;

        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.builder(base)
                    .naming(NamingStrategy.byOriginalName())
                    .durability(Durability.FSYNC_ON_COMPLETE)
                    .build();
        }

        @Override
        protected InputStream openCompleted(StorageLocation location) throws IOException {
            return Files.newInputStream(((LocalStorageDriver) driver).resolve(location));
        }
    }

    @Nested
    class NoFsync extends StorageDriverCompatibilityKit {
        @TempDir
        Path base;

        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.builder(base).durability(Durability.NONE).build();
        }

        @Override
        protected InputStream openCompleted(StorageLocation location) throws IOException {
            return Files.newInputStream(((LocalStorageDriver) driver).resolve(location));
        }
    }
}
