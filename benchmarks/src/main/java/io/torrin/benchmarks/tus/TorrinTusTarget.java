/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import io.torrin.core.AppendStatus;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * Torrin's tus endpoint as the benchmark's "ours": {@link TusProtocolHandler} in a {@link TorrinServlet} on the same
 * embedded Jetty 12 as tus-java-server, local disk storage and the file store. Durability matches the peers', which
 * never call {@code fsync}: by default the local driver with {@code Durability.NONE} and the file store with
 * {@code fsync(false)} (its records replaced or appended atomically, not forced); {@code --torrin-durability
 * FSYNC_EACH_CHUNK} compares with tus-java-server as shipped (fsync per PATCH). The servlet is
 * registered async-supported, as the Spring starter registers its filter, so request bodies go through the
 * non-blocking reader.
 */
public final class TorrinTusTarget implements TusTarget {

    private final LoopbackJetty jetty;
    private final UploadService service;
    private final FileUploadStore store;
    private final LocalStorageDriver storage;
    private final Durability durability;

    private TorrinTusTarget(
            LoopbackJetty jetty,
            UploadService service,
            FileUploadStore store,
            LocalStorageDriver storage,
            Durability durability) {
        this.durability = durability;
        this.jetty = jetty;
        this.service = service;
        this.store = store;
        this.storage = storage;
    }

    /**
     * Starts the server.
     *
     * @param directory where files and sessions go
     * @param asyncBodies whether request bodies are read with the Servlet non-blocking API (the default of the
     *     Spring starter) or with blocking reads
     * @param durability the local driver's policy; {@code FSYNC_EACH_CHUNK} also forces the file store's writes
     *     (fsync per PATCH), the others do not
     * @return the running server
     * @throws Exception if Jetty does not start
     */
    public static TorrinTusTarget start(Path directory, boolean asyncBodies, Durability durability) throws Exception {
        TusJavaServerTarget.quietLogging();
        LocalStorageDriver storage = LocalStorageDriver.builder(directory.resolve("files"))
                .durability(durability)
                .build();
        FileUploadStore store = FileUploadStore.builder(directory.resolve("sessions"))
                .fsync(durability == Durability.FSYNC_EACH_CHUNK)
                .build();
        UploadService service = UploadService.builder()
                .storage(storage)
                .store(store)
                .defaultChunkSize(8L * 1024 * 1024)
                .build();
        ServletHolder holder = new ServletHolder(
                new TorrinServlet(TusProtocolHandler.builder(service).build()));
        holder.setAsyncSupported(asyncBodies);
        LoopbackJetty jetty;
        try {
            jetty = LoopbackJetty.start("torrin", holder);
        } catch (Exception e) {
            service.close();
            store.close();
            throw e;
        }
        return new TorrinTusTarget(jetty, service, store, storage, durability);
    }

    @Override
    public String name() {
        return "Torrin";
    }

    @Override
    public URI creationUrl() {
        return jetty.creationUrl();
    }

    @Override
    public PatchDurability durability() {
        return durability == Durability.FSYNC_EACH_CHUNK
                ? PatchDurability.FSYNC_PER_PATCH
                : PatchDurability.NO_FSYNC_PER_PATCH;
    }

    @Override
    public String durabilityNote() {
        return switch (durability) {
            case NONE -> "no fsync at all, like the peers: local driver Durability.NONE, file store with fsync(false)";
            case FSYNC_ON_COMPLETE ->
                "no fsync per PATCH, data forced once at completion (FSYNC_ON_COMPLETE),"
                        + " file store with fsync(false)";
            case FSYNC_EACH_CHUNK ->
                "fsync per PATCH: each PATCH's bytes and its offset record forced"
                        + " (FSYNC_EACH_CHUNK, file store with fsync)";
        };
    }

    @Override
    public Optional<Path> storedFile(URI uploadUrl) {
        String path = uploadUrl.getPath();
        AppendStatus status =
                service.appends().getStatus(path.substring(path.lastIndexOf('/') + 1), RequestContext.none());
        return status.location().map(storage::resolve);
    }

    @Override
    public void close() throws IOException {
        try {
            jetty.stop();
        } finally {
            service.close();
            store.close();
        }
    }
}
