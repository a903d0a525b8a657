/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.torrin.benchmarks.tus.LoopbackJetty;
import io.torrin.core.StorageLocation;
import io.torrin.micrometer.TorrinMetrics;
import io.torrin.server.UploadInstrumentation;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.servlet.TorrinServlet;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A column that speaks the Torrin wire protocol over HTTP, driven by {@link TorrinClient}: either Torrin itself
 * ({@link #startTorrin}) or the do-nothing {@link TorrinSinkServlet} on the same container ({@link #startSink}).
 *
 * <p>Torrin runs as an application would mount it: {@link TorrinProtocolHandler} in a {@link TorrinServlet} whose
 * holder is async-supported (as the Spring Boot starter registers its filter, so chunk bodies go through the
 * non-blocking reader), on the embedded Jetty 12 of the tus benchmark ({@link LoopbackJetty}, mount point
 * {@code /files}). Storage is {@link LocalStorageDriver} with {@link Durability#NONE} and state the durable
 * {@link FileUploadStore} with {@code fsync(false)}: no fsync anywhere, the durability of the peers. The service's chunk
 * size range is widened to [1 KiB, 100 MiB] (default [256 KiB, 100 MiB]) so that the small-chunk row can ask for
 * 1 KiB chunks; every other row asks for its chunk size explicitly, so the wider range changes nothing there.
 */
public final class TorrinHttpTarget implements E2eTarget {

    /** The smallest chunk size Torrin is configured to accept here (the small-chunk row's size). */
    public static final long MIN_CHUNK = 1024;
    /** The largest chunk size (the service's default maximum). */
    public static final long MAX_CHUNK = 100L * 1024 * 1024;

    private final String name;
    private final Role role;
    private final String durabilityNote;
    private final LoopbackJetty jetty;
    private final UploadService service;
    private final FileUploadStore store;
    private final LocalStorageDriver storage;
    private final boolean durable;

    private TorrinHttpTarget(
            String name,
            Role role,
            boolean durable,
            String durabilityNote,
            LoopbackJetty jetty,
            UploadService service,
            FileUploadStore store,
            LocalStorageDriver storage) {
        this.name = name;
        this.role = role;
        this.durable = durable;
        this.durabilityNote = durabilityNote;
        this.jetty = jetty;
        this.service = service;
        this.store = store;
        this.storage = storage;
    }

    /**
     * Starts Torrin (see the class description).
     *
     * @param directory where files ({@code files/}) and sessions ({@code sessions/}) go
     * @return the running server
     * @throws Exception if it does not start
     */
    public static TorrinHttpTarget startTorrin(Path directory) throws Exception {
        return startTorrin(directory, false);
    }

    /**
     * Starts Torrin, with {@code torrin-micrometer} metrics in a Prometheus registry (histograms and all) or
     * without.
     *
     * @param directory where files ({@code files/}) and sessions ({@code sessions/}) go
     * @param metrics whether to instrument the service
     * @return the running server
     * @throws Exception if it does not start
     */
    public static TorrinHttpTarget startTorrin(Path directory, boolean metrics) throws Exception {
        return startTorrin(directory, metrics, false);
    }

    /**
     * Starts Torrin at a durability: none (as the class description says) or Torrin's defaults,
     * {@link Durability#FSYNC_EACH_CHUNK} and the file store with {@code fsync(true)}.
     *
     * @param directory where files ({@code files/}) and sessions ({@code sessions/}) go
     * @param metrics whether to instrument the service
     * @param durable whether to run at the defaults (every acknowledged chunk and record forced)
     * @return the running server
     * @throws Exception if it does not start
     */
    public static TorrinHttpTarget startTorrin(Path directory, boolean metrics, boolean durable) throws Exception {
        LocalStorageDriver storage = LocalStorageDriver.builder(directory.resolve("files"))
                .durability(durable ? Durability.FSYNC_EACH_CHUNK : Durability.NONE)
                .build();
        FileUploadStore store = FileUploadStore.builder(directory.resolve("sessions"))
                .fsync(durable)
                .build();
        UploadService service = UploadService.builder()
                .storage(storage)
                .store(store)
                .chunkSizeLimits(MIN_CHUNK, MAX_CHUNK)
                .instrumentation(
                        metrics
                                ? TorrinMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                                : UploadInstrumentation.NONE)
                .build();
        ServletHolder holder = new ServletHolder(
                new TorrinServlet(TorrinProtocolHandler.builder(service).build()));
        holder.setAsyncSupported(true);
        LoopbackJetty jetty;
        try {
            jetty = LoopbackJetty.start("torrin", holder);
        } catch (Exception e) {
            service.close();
            store.close();
            throw e;
        }
        return new TorrinHttpTarget(
                metrics ? "Torrin + metrics" : "Torrin",
                metrics ? Role.VARIANT : Role.OURS,
                durable,
                (metrics
                                ? "as Torrin, plus TorrinMetrics in a PrometheusMeterRegistry (every meter, histograms): "
                                : "")
                        + (durable
                                ? "Torrin's defaults: LocalStorageDriver with Durability.FSYNC_EACH_CHUNK (the staging"
                                        + " file forced before a chunk is recorded), FileUploadStore with fsync(true) (the"
                                        + " chunk's 16-byte log record forced before it is acknowledged; session files"
                                        + " forced with their directory)"
                                : "no fsync at all, like the peers: LocalStorageDriver with"
                                        + " Durability.NONE, FileUploadStore with fsync(false) (one 16-byte chunk-log"
                                        + " append per chunk, not forced)")
                        + "; TorrinServlet(TorrinProtocolHandler), async-supported, on Jetty 12",
                jetty,
                service,
                store,
                storage);
    }

    /**
     * Starts the HTTP limit: {@link TorrinSinkServlet} on the same Jetty setup (async-supported holder as well, its
     * reads blocking).
     *
     * @return the running sink
     * @throws Exception if it does not start
     */
    public static TorrinHttpTarget startSink() throws Exception {
        ServletHolder holder = new ServletHolder(new TorrinSinkServlet());
        holder.setAsyncSupported(true);
        return new TorrinHttpTarget(
                "HTTP sink (limit)",
                Role.HTTP_LIMIT,
                false,
                "stores nothing: answers the Torrin routes"
                        + " from memory (a bit set per upload) and discards every body after counting it; the limit of"
                        + " container, loopback and client",
                LoopbackJetty.start("torrin-sink", holder),
                null,
                null,
                null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String durabilityNote() {
        return durabilityNote;
    }

    @Override
    public boolean forcesEachRequest() {
        return durable;
    }

    @Override
    public int maxWritersPerUpload() {
        return Integer.MAX_VALUE;
    }

    /**
     * Returns the mount URL clients use.
     *
     * @return e.g. {@code http://127.0.0.1:41234/files}
     */
    public URI mountUrl() {
        return jetty.creationUrl();
    }

    @Override
    public Connection connect() {
        return new HttpConnection(new TorrinClient(jetty.creationUrl()));
    }

    @Override
    public void close() throws IOException {
        try {
            jetty.stop();
        } finally {
            if (service != null) {
                service.close();
                store.close();
            }
        }
    }

    /** One {@link TorrinClient}. */
    private final class HttpConnection implements Connection {
        private final TorrinClient client;

        HttpConnection(TorrinClient client) {
            this.client = client;
        }

        @Override
        public Upload create(long size, int chunkSize) throws IOException {
            TorrinClient.Created created = client.create(size, chunkSize);
            int chunks = (int) ((size + chunkSize - 1) / chunkSize);
            if (created.chunkSize() != chunkSize || created.totalChunks() != chunks || created.fileSize() != size) {
                throw new IOException("asked for " + size + " bytes in chunks of " + chunkSize + ", got chunkSize "
                        + created.chunkSize() + ", totalChunks " + created.totalChunks() + ", fileSize "
                        + created.fileSize());
            }
            return new Upload(created.uploadId(), size, chunkSize, chunks, null);
        }

        @Override
        public void write(Upload upload, int index, ByteBuffer[] body) throws IOException {
            client.putChunk(upload.id(), index, body);
        }

        @Override
        public Finished finish(Upload upload) throws IOException {
            TorrinClient.Completed completed = client.complete(upload.id());
            if (!completed.state().equals("completed") || completed.fileSize() != upload.size()) {
                throw new IOException("complete of " + upload.id() + " answered status " + completed.state()
                        + ", fileSize " + completed.fileSize());
            }
            Optional<Path> file = storage == null
                    ? Optional.empty()
                    : Optional.of(storage.resolve(new StorageLocation(completed.locationType(), completed.location())));
            return new Finished(
                    file,
                    "complete answered status completed, fileSize " + upload.size()
                            + (file.isPresent()
                                    ? ", location " + completed.locationType() + " " + completed.location()
                                    : ""));
        }

        @Override
        public void expectStored(Upload upload, int chunks) throws IOException {
            TorrinClient.Status status = client.status(upload.id());
            if (status.received() != chunks || status.missing() != upload.chunks() - chunks) {
                throw new IOException("status of " + upload.id() + " lists " + status.received() + " received and "
                        + status.missing() + " missing chunks; sent " + chunks + " of " + upload.chunks());
            }
        }

        @Override
        public void discard(Upload upload, Finished finished) throws IOException {
            if (finished == null) {
                if (!client.delete(upload.id())) {
                    throw new IOException("DELETE of " + upload.id() + " was not answered 204");
                }
            } else if (finished.storedFile().isPresent()) {
                Files.deleteIfExists(finished.storedFile().get());
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
