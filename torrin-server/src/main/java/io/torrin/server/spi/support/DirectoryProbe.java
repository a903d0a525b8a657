/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** The health probe of a directory a backend writes into: a small file created, written and deleted in it. */
public final class DirectoryProbe {

    private DirectoryProbe() {}

    /**
     * Checks that a directory exists and takes a new file.
     *
     * @param directory the directory, not null
     * @return empty if it is writable, otherwise why not
     */
    public static Optional<String> writable(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.of("not a directory: " + directory);
        }
        Path probe = directory.resolve(".torrin-health-" + UUID.randomUUID() + ".tmp");
        try {
            Files.write(probe, new byte[] {1});
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("cannot write in " + directory + ": " + e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException | SecurityException e) {
                // the write failed already, or the probe file stays behind harmlessly
            }
        }
    }
}
