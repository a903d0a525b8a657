/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A driver that forwards everything to an in-memory driver, with every capability; tests override the step they
 * want to fail or slow down. {@link #chunksOnly()} gives the same driver without any capability.
 */
public class DelegatingDriver implements AppendableStorage, ReadableStorage, StagedReadableStorage {
    private final InMemoryStorageDriver delegate;

    public DelegatingDriver(InMemoryStorageDriver delegate) {
        this.delegate = delegate;
    }

    @Override
    public StorageConstraints constraints() {
        return delegate.constraints();
    }

    @Override
    public Map<String, String> begin(UploadSession session) throws IOException {
        return delegate.begin(session);
    }

    @Override
    public void writeChunk(ChunkWrite write) throws IOException {
        delegate.writeChunk(write);
    }

    @Override
    public InputStream openStaged(StorageUpload upload) throws IOException {
        return delegate.openStaged(upload);
    }

    @Override
    public StorageLocation complete(StorageUpload upload) throws IOException {
        return delegate.complete(upload);
    }

    @Override
    public void abort(StorageUpload upload) throws IOException {
        delegate.abort(upload);
    }

    @Override
    public long append(AppendWrite write) throws IOException {
        return delegate.append(write);
    }

    @Override
    public InputStream open(StorageLocation location) throws IOException {
        return delegate.open(location);
    }

    @Override
    public StoredFile stat(StorageLocation location) throws IOException {
        return delegate.stat(location);
    }

    /**
     * Returns a driver with only the required operations, forwarding to this one: no appends, no reads.
     *
     * @return the driver
     */
    public StorageDriver chunksOnly() {
        DelegatingDriver all = this;
        return new StorageDriver() {
            @Override
            public StorageConstraints constraints() {
                return all.constraints();
            }

            @Override
            public Map<String, String> begin(UploadSession session) throws IOException {
                return all.begin(session);
            }

            @Override
            public void writeChunk(ChunkWrite write) throws IOException {
                all.writeChunk(write);
            }

            @Override
            public StorageLocation complete(StorageUpload upload) throws IOException {
                return all.complete(upload);
            }

            @Override
            public void abort(StorageUpload upload) throws IOException {
                all.abort(upload);
            }
        };
    }
}
