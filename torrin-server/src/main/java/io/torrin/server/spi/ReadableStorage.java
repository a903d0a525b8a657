/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.StorageLocation;
import java.io.IOException;
import java.io.InputStream;

/**
 * The capability of a {@link StorageDriver} to read completed files back, for example to concatenate finished
 * uploads into a new one (tus concatenation). Thread-safe, like every driver.
 */
public interface ReadableStorage extends StorageDriver {

    /**
     * Opens a completed file for reading. The caller closes the stream.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @return the file's bytes
     * @throws IOException if the backend failed or the file is gone
     */
    InputStream open(StorageLocation location) throws IOException;
}
