/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A response body that is streamed instead of held in memory: the bytes of a download. The adapter sets
 * {@code Content-Length} to {@link #length()} and then either lets its container send {@link #file()} directly
 * (zero-copy, where the container can) or calls {@link #writeTo}. Used by one request; not thread-safe.
 */
public interface ResponseContent {

    /**
     * Returns how many bytes the body has.
     *
     * @return the exact length, at least 0
     */
    long length();

    /**
     * Writes the body. Called at most once; the adapter owns and closes the output stream.
     *
     * @param out where the bytes go, not null
     * @throws IOException if the bytes cannot be read or the client has gone
     */
    void writeTo(OutputStream out) throws IOException;

    /**
     * Returns the body as a region of a local file, if it is one, so that a container that can send files itself
     * (Tomcat's sendfile) sends it without copying it through the JVM; {@link #writeTo} is then not called.
     *
     * @return the file region, or empty (the default)
     */
    default Optional<FileRegion> file() {
        return Optional.empty();
    }

    /**
     * A region of a local file.
     *
     * @param path the file, not null
     * @param offset the first byte, at least 0
     * @param length how many bytes, at least 0
     */
    record FileRegion(Path path, long offset, long length) {}
}
