/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/** Storage drivers for tests of code that reacts to a driver's capabilities. Stateless and thread-safe. */
public final class TestDrivers {

    private TestDrivers() {}

    /**
     * Returns a driver with only the required operations, forwarding them to another: it implements no
     * capability (no appends, no reads), whatever the other implements.
     *
     * @param driver the driver to forward to, not null
     * @return the driver
     */
    public static StorageDriver chunksOnly(StorageDriver driver) {
        Objects.requireNonNull(driver, "driver");
        return new StorageDriver() {
            @Override
            public StorageConstraints constraints() {
                return driver.constraints();
            }

            @Override
            public Map<String, String> begin(UploadSession session) throws IOException {
                return driver.begin(session);
            }

            @Override
            public void writeChunk(ChunkWrite write) throws IOException {
                driver.writeChunk(write);
            }

            @Override
            public StorageLocation complete(StorageUpload upload) throws IOException {
                return driver.complete(upload);
            }

            @Override
            public void abort(StorageUpload upload) throws IOException {
                driver.abort(upload);
            }
        };
    }
}
