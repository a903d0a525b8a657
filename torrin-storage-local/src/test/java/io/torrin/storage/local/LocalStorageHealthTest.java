/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.Health;
import io.torrin.testsupport.ReadOnlyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health checks of the local driver and the file store, on a real directory made read-only for real. */
class LocalStorageHealthTest {

    @TempDir
    Path root;

    @Test
    void localStorageWhenWritableThenUpWithFreeSpaceAndWhenReadOnlyThenDown() throws Exception {
        Path base = root.resolve("files");
        LocalStorageDriver driver = LocalStorageDriver.create(base);
        Health up = driver.checkHealth();
        assertThat(up.isUp()).as(up.toString()).isTrue();
        assertThat((Long) up.details().get("freeBytes")).isPositive();
        assertThat(up.details()).containsEntry("directory", base.toString());

        try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(base)) {
            Health down = driver.checkHealth();
            assertThat(down.status()).isEqualTo(Health.Status.DOWN);
            assertThat((String) down.details().get("error")).contains("cannot write in " + base);
        }
        try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(base.resolve(LocalStorageDriver.STAGING_DIRECTORY))) {
            assertThat(driver.checkHealth().isUp()).isFalse();
        }
        assertThat(driver.checkHealth().isUp()).isTrue();
        try (var files = Files.list(base)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(LocalStorageDriver.STAGING_DIRECTORY);
        }
    }

    @Test
    void localStorageWhenFreeSpaceIsBelowTheThresholdThenDown() {
        LocalStorageDriver driver =
                LocalStorageDriver.builder(root).minFreeSpace(Long.MAX_VALUE).build();
        Health down = driver.checkHealth();
        assertThat(down.isUp()).isFalse();
        assertThat((String) down.details().get("error")).contains("below the threshold");
        assertThat(down.details()).containsEntry("minFreeBytes", Long.MAX_VALUE);
    }

    @Test
    void fileStoreWhenItsDirectoryIsReadOnlyThenDown() throws Exception {
        Path directory = root.resolve("store");
        try (FileUploadStore store = FileUploadStore.create(directory)) {
            assertThat(store.checkHealth().isUp()).isTrue();
            try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.of(directory)) {
                Health down = store.checkHealth();
                assertThat(down.isUp()).isFalse();
                assertThat(down.details()).containsEntry("directory", directory.toString());
            }
            assertThat(store.checkHealth().isUp()).isTrue();
        }
    }
}
