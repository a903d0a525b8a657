/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.StorageLocation;
import io.torrin.server.spi.StorageDriver;
import io.torrin.testkit.StorageDriverCompatibilityKit;
import io.torrin.testkit.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageDriverCompatibilityTest {

    /** The kit on a local driver below {@code base}, with a directory {@code outside} it for escape attempts. */
    abstract static class LocalKit extends StorageDriverCompatibilityKit {
        @TempDir
        Path base;

        @TempDir
        Path outside;

        @Override
        protected InputStream openCompleted(StorageLocation location) throws IOException {
            return Files.newInputStream(((LocalStorageDriver) driver).resolve(location));
        }

        @Override
        protected Optional<StorageLocation> missingLocation(StorageLocation completed) throws IOException {
            Files.delete(((LocalStorageDriver) driver).resolve(completed));
            return Optional.of(completed);
        }

        /** A path up and out of the base directory, an absolute path, and a symbolic link planted in the tree. */
        @Override
        protected List<StorageLocation> escapingLocations(StorageLocation completed) throws IOException {
            Path secret = Files.write(outside.resolve("secret.bin"), TestFiles.randomBytes(100));
            Path link = Files.createSymbolicLink(base.resolve("planted-link.bin"), secret);
            String up = base.relativize(secret).toString();
            return List.of(
                    local(up),
                    local(secret.toString()),
                    local(base.relativize(link).toString()));
        }

        private static StorageLocation local(String path) {
            return new StorageLocation(LocalStorageDriver.LOCATION_TYPE, Map.of(LocalStorageDriver.PATH_KEY, path));
        }
    }

    @Nested
    class FsyncEachChunkByUploadId extends LocalKit {
        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.create(base);
        }
    }

    @Nested
    class FsyncOnCompleteByOriginalName extends LocalKit {
        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.builder(base)
                    .naming(NamingStrategy.byOriginalName())
                    .durability(Durability.FSYNC_ON_COMPLETE)
                    .build();
        }
    }

    @Nested
    class NoFsync extends LocalKit {
        @Override
        protected StorageDriver createDriver() {
            return LocalStorageDriver.builder(base).durability(Durability.NONE).build();
        }
    }
}
