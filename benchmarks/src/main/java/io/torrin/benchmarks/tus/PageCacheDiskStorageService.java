/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import me.desair.tus.server.exception.InvalidUploadOffsetException;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.disk.DiskStorageService;

/**
 * tus-java-server's own {@link DiskStorageService} with one difference: a PATCH's bytes are not forced to disk before
 * the PATCH is acknowledged. The shipped {@code append} calls {@code FileChannel.force(true)} after every PATCH; this
 * one leaves the bytes in the page cache, the durability of {@code @tus/file-store} and of Torrin's local driver with
 * {@code FSYNC_ON_COMPLETE}. Everything else is inherited: the layout ({@code uploads/<id>/data} and
 * {@code uploads/<id>/info}), the file lock per append, the offset check, the {@code info} rewrite per PATCH.
 */
final class PageCacheDiskStorageService extends DiskStorageService {

    /**
     * Creates the service.
     *
     * @param storagePath the storage directory, as for {@code TusFileUploadService.withStoragePath}
     */
    PageCacheDiskStorageService(String storagePath) {
        super(storagePath);
    }

    @Override
    public UploadInfo append(UploadInfo info, InputStream inputStream) throws IOException, TusException {
        if (info == null) {
            return null;
        }
        Path data = dataFile(info);
        long start = info.getOffset();
        long end = start;
        long limit = getMaxUploadSize() > 0 ? getMaxUploadSize() : Long.MAX_VALUE;
        try (ReadableByteChannel source = Channels.newChannel(inputStream);
                FileChannel file = FileChannel.open(data, StandardOpenOption.WRITE)) {
            file.lock();
            if (file.size() != start) {
                throw new InvalidUploadOffsetException(
                        "offset " + start + " is not the end of the upload (" + file.size() + " bytes)");
            }
            try {
                end = start + file.transferFrom(source, start, limit - start);
            } catch (IOException | RuntimeException e) {
                end = file.size();
                throw e;
            }
        } finally {
            info.setOffset(end);
            update(info);
        }
        return info;
    }

    /** The file holding an upload's bytes: {@code <storage>/uploads/<id>/data}. */
    private Path dataFile(UploadInfo info) {
        return getPathInStorageDirectory(info.getId()).resolve("data");
    }
}
