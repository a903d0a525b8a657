/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import io.torrin.benchmarks.tus.TusClient;
import io.torrin.benchmarks.tus.TusTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A tus 1.0 server of the tus benchmark ({@link TusTarget}: tus-java-server, {@code @tus/server}) as a peer column of
 * the end-to-end benchmark, driven by {@link TusClient} with the tus equivalent of each Torrin request: creation
 * {@code POST} for create, one {@code PATCH} per chunk (at offset {@code index × chunkSize}, the answer's
 * {@code Upload-Offset} checked), {@code HEAD} for status, and a final {@code HEAD} confirming the whole length as
 * "finish" (tus has no completion request). The core protocol appends in offset order, so one upload is written
 * by one connection ({@link #maxWritersPerUpload()} = 1); the concatenation extension, which could spread one file
 * over several uploads, is not used.
 */
public final class TusPeerTarget implements E2eTarget {

    private final TusTarget server;

    /**
     * Wraps a running tus server; closing this target closes it.
     *
     * @param server the server
     */
    public TusPeerTarget(TusTarget server) {
        this.server = server;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public Role role() {
        return Role.PEER;
    }

    @Override
    public String durabilityNote() {
        return server.durabilityNote();
    }

    @Override
    public boolean forcesEachRequest() {
        return server.durability() == TusTarget.PatchDurability.FSYNC_PER_PATCH;
    }

    @Override
    public int maxWritersPerUpload() {
        return 1;
    }

    /**
     * Returns the server's creation URL.
     *
     * @return e.g. {@code http://127.0.0.1:43117/files}
     */
    public URI creationUrl() {
        return server.creationUrl();
    }

    @Override
    public Connection connect() {
        return new TusConnection(new TusClient(server.creationUrl()));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One {@link TusClient}. */
    private final class TusConnection implements Connection {
        private final TusClient client;

        TusConnection(TusClient client) {
            this.client = client;
        }

        @Override
        public Upload create(long size, int chunkSize) throws IOException {
            URI upload = client.create(size);
            return new Upload(upload.toString(), size, chunkSize, (int) ((size + chunkSize - 1) / chunkSize), upload);
        }

        @Override
        public void write(Upload upload, int index, ByteBuffer[] body) throws IOException {
            long offset = upload.offset(index);
            long answered = client.patch((URI) upload.handle(), offset, body);
            long expected = offset + upload.length(index);
            if (answered != expected) {
                throw new IOException(
                        "PATCH at " + offset + " answered Upload-Offset " + answered + ", expected " + expected);
            }
        }

        @Override
        public Finished finish(Upload upload) throws IOException {
            long offset = client.offset((URI) upload.handle());
            if (offset != upload.size()) {
                throw new IOException(
                        "HEAD after the last PATCH answered Upload-Offset " + offset + ", expected " + upload.size());
            }
            return new Finished(
                    server.storedFile((URI) upload.handle()), "HEAD answered Upload-Offset " + upload.size());
        }

        @Override
        public void expectStored(Upload upload, int chunks) throws IOException {
            long offset = client.offset((URI) upload.handle());
            long expected = Math.min(upload.size(), upload.offset(chunks));
            if (offset != expected) {
                throw new IOException("HEAD answered Upload-Offset " + offset + " after " + chunks + " PATCHes,"
                        + " expected " + expected);
            }
        }

        @Override
        public void discard(Upload upload, Finished finished) throws IOException {
            URI uri = (URI) upload.handle();
            if (client.delete(uri)) {
                return;
            }
            Optional<Path> file = finished != null ? finished.storedFile() : server.storedFile(uri);
            if (file.isPresent()) {
                Files.deleteIfExists(file.get());
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
