/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.server.file.FileUploadStore;
import io.torrin.server.spi.UploadStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileUploadStoreCompatibilityTest extends DurableUploadStoreCompatibilityKit {

    @TempDir
    Path directory;

    @Override
    protected UploadStore createStore() {
        return FileUploadStore.create(directory);
    }

    @Override
    protected UploadStore reopenStore() {
        return FileUploadStore.create(directory);
    }
}
