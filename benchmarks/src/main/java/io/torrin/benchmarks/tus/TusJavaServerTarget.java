/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.upload.disk.DiskLockingService;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * tus-java-server 1.0.0-3.0 ({@code me.desair.tus:tus-java-server}, built for {@code jakarta.servlet} 6.0) with its
 * disk storage, embedded in Jetty 12 (ee10) in this JVM, on {@code 127.0.0.1} and a free port, at {@code /files}.
 * Its configuration is the library's default (all extensions, no thread-local cache) apart from the storage:
 *
 * <ul>
 *   <li>{@code fsyncPerPatch = false}: {@link PageCacheDiskStorageService}, the shipped disk storage without its
 *       per-PATCH {@code force}, so that it is compared at the durability of the other servers;</li>
 *   <li>{@code fsyncPerPatch = true}: the library exactly as shipped ({@code withStoragePath}), which forces the data
 *       file after every PATCH.</li>
 * </ul>
 * The bytes of an upload are the plain file {@code <storage>/uploads/<id>/data}.
 */
public final class TusJavaServerTarget implements TusTarget {

    private final LoopbackJetty jetty;
    private final Path storage;
    private final boolean fsyncPerPatch;

    private TusJavaServerTarget(LoopbackJetty jetty, Path storage, boolean fsyncPerPatch) {
        this.jetty = jetty;
        this.storage = storage;
        this.fsyncPerPatch = fsyncPerPatch;
    }

    /**
     * Starts the server.
     *
     * @param storage the storage directory (created if missing)
     * @param fsyncPerPatch whether to keep the shipped per-PATCH fsync (see the class description)
     * @return the running server
     * @throws Exception if Jetty does not start
     */
    public static TusJavaServerTarget start(Path storage, boolean fsyncPerPatch) throws Exception {
        quietLogging();
        String storagePath = storage.toAbsolutePath().toString();
        TusFileUploadService tus = new TusFileUploadService().withUploadUri(LoopbackJetty.PATH);
        if (fsyncPerPatch) {
            tus.withStoragePath(storagePath);
        } else {
            tus.withUploadStorageService(new PageCacheDiskStorageService(storagePath))
                    .withUploadLockingService(new DiskLockingService(storagePath));
        }
        LoopbackJetty jetty = LoopbackJetty.start("tus-java-server", new ServletHolder(new TusServlet(tus)));
        return new TusJavaServerTarget(jetty, storage, fsyncPerPatch);
    }

    /**
     * Lowers Jetty's and tus-java-server's logging (slf4j-simple) to warnings, unless configured otherwise: their
     * start-up lines and one line per created or finished upload would drown the results. Takes effect for loggers
     * created afterwards.
     */
    public static void quietLogging() {
        for (String logger : new String[] {"org.eclipse.jetty", "me.desair.tus"}) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + logger) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + logger, "warn");
            }
        }
    }

    @Override
    public String name() {
        return fsyncPerPatch ? "tus-java-server 1.0.0-3.0 as shipped" : "tus-java-server 1.0.0-3.0";
    }

    @Override
    public URI creationUrl() {
        return jetty.creationUrl();
    }

    @Override
    public PatchDurability durability() {
        return fsyncPerPatch ? PatchDurability.FSYNC_PER_PATCH : PatchDurability.NO_FSYNC_PER_PATCH;
    }

    @Override
    public String durabilityNote() {
        return fsyncPerPatch
                ? "fsync per PATCH: the shipped DiskStorageService forces the data file after every PATCH"
                        + " (the serialized `info` file it rewrites per PATCH is not forced)"
                : "no fsync per PATCH: the shipped DiskStorageService minus its per-PATCH `force(true)`"
                        + " (PageCacheDiskStorageService); the `info` file is rewritten, not forced, per PATCH";
    }

    @Override
    public Optional<Path> storedFile(URI uploadUrl) {
        String path = uploadUrl.getPath();
        return Optional.of(storage.resolve("uploads")
                .resolve(path.substring(path.lastIndexOf('/') + 1))
                .resolve("data"));
    }

    @Override
    public void close() throws IOException {
        jetty.stop();
    }

    /** Hands every request under {@code /files} to tus-java-server, whatever its method (PATCH included). */
    private static final class TusServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        private final transient TusFileUploadService tus;

        TusServlet(TusFileUploadService tus) {
            this.tus = tus;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            tus.process(request, response);
        }
    }
}
