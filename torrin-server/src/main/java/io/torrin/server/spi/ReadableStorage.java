/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import io.torrin.core.StorageLocation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The capability of a {@link StorageDriver} to read completed files back: to concatenate finished uploads into a
 * new one (tus concatenation) and to serve downloads. Thread-safe, like every driver.
 *
 * <p>Every method takes a location this driver returned from {@link #complete}; a driver refuses any other (a
 * location of another backend, or one whose path would leave the driver's root) with an {@link IOException} or
 * {@link IllegalArgumentException}, so a tampered record cannot make it read outside its storage.
 */
public interface ReadableStorage extends StorageDriver {

    /**
     * Opens a completed file for reading. The caller closes the stream.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @return the file's bytes
     * @throws IOException if the backend failed or the file is gone ({@link java.nio.file.NoSuchFileException}
     *     where the driver can tell)
     */
    InputStream open(StorageLocation location) throws IOException;

    /**
     * Describes a completed file without reading it.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @return the file's length, modification time and version
     * @throws java.nio.file.NoSuchFileException if the file is gone
     * @throws IOException if the backend failed
     */
    StoredFile stat(StorageLocation location) throws IOException;

    /**
     * Opens a byte range of a completed file. The caller closes the stream, which ends after {@code length} bytes
     * (or earlier if the file is shorter). The default opens the whole file and skips to the offset; drivers that
     * can seek or ask for a range (local files, S3) override it.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @param offset the first byte, at least 0
     * @param length how many bytes, at least 0
     * @return the range's bytes
     * @throws IOException if the backend failed or the file is gone
     */
    default InputStream open(StorageLocation location, long offset, long length) throws IOException {
        InputStream in = open(location);
        try {
            in.skipNBytes(offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return RangeInputStream.of(in, length);
    }

    /**
     * Returns the completed file as a path on this machine, if it is one, so that a servlet container can send it
     * without copying it through the JVM (Tomcat's sendfile). The path lies inside the driver's root.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @return the file's path, or empty (the default) if the file is not a local file
     */
    default Optional<Path> localFile(StorageLocation location) {
        return Optional.empty();
    }

    /**
     * Returns a time-limited URL from which a client can fetch the completed file directly (an S3 presigned GET), so
     * that a download can be answered with a redirect instead of streaming the bytes through this server.
     *
     * @param location a location this driver returned from {@link #complete}, not null
     * @param validity how long the URL works, positive, not null
     * @param contentType the {@code Content-Type} the response should carry, not null
     * @param contentDisposition the {@code Content-Disposition} the response should carry, not null
     * @return the URL, or empty (the default) if this driver cannot make one
     */
    default Optional<URI> downloadUrl(
            StorageLocation location, Duration validity, String contentType, String contentDisposition) {
        return Optional.empty();
    }
}
