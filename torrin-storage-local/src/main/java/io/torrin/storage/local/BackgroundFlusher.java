/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.server.spi.support.DaemonThreads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts writeback of staging files early for {@link Durability#FSYNC_ON_COMPLETE}: after a chunk is written,
 * the file is forced from one background thread, so that the disk works while further chunks arrive and the
 * force at completion has little left to do. Chunk acknowledgements never wait for it; requests for a file
 * whose flush is already queued are merged. The thread ends after ten idle seconds, so the driver needs no
 * closing. Thread-safe.
 */
final class BackgroundFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundFlusher.class);

    private final Set<Path> queued = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(
            1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("torrin-local-flush"));

    BackgroundFlusher() {
        executor.allowCoreThreadTimeOut(true);
    }

    void request(Path file) {
        if (queued.add(file)) {
            executor.execute(() -> flush(file));
        }
    }

    private void flush(Path file) {
        queued.remove(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (NoSuchFileException e) {
            LOG.trace("Staging file {} is gone before its background flush", file);
        } catch (IOException e) {
            LOG.debug("Background flush of {} failed; completion forces it again", file, e);
        }
    }
}
