/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes directories read-only even for root (the tests run as root here, and root ignores permission bits): sets
 * the immutable attribute with {@code chattr +i}, and clears it on {@link #close()}. Where that is impossible (no
 * {@code chattr}, a file system without the attribute, no privilege), the test is aborted with a visible message,
 * except in CI ({@code CI=true}), where it fails.
 */
public final class ReadOnlyDirectory implements AutoCloseable {

    private final List<Path> directories;

    private ReadOnlyDirectory(List<Path> directories) {
        this.directories = directories;
    }

    /**
     * Makes directories read-only: no file can be created, deleted or renamed in them.
     *
     * @param directories the directories, not null
     * @return what to close to make them writable again
     * @throws IOException if chattr cannot be run
     * @throws InterruptedException if interrupted while chattr runs
     */
    public static ReadOnlyDirectory of(Path... directories) throws IOException, InterruptedException {
        List<Path> done = new ArrayList<>();
        ReadOnlyDirectory readOnly = new ReadOnlyDirectory(done);
        for (Path directory : directories) {
            if (!chattr("+i", directory)) {
                readOnly.close();
                unavailable("chattr +i failed on " + directory);
            }
            done.add(directory);
            Path probe = directory.resolve(".probe-" + UUID.randomUUID());
            try {
                Files.createFile(probe);
                Files.delete(probe);
                readOnly.close();
                unavailable("a file could still be created in " + directory + " after chattr +i");
            } catch (IOException expected) {
                // read-only as wanted
            }
        }
        return readOnly;
    }

    /** Makes the directories writable again. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Path directory : directories) {
            chattr("-i", directory);
        }
    }

    private static boolean chattr(String flag, Path directory) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("chattr", flag, directory.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            unavailable("chattr cannot be run: " + e.getMessage());
            return false;
        }
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    private static void unavailable(String reason) {
        String message = "a read-only directory cannot be made here: " + reason;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must be able to make " + message);
        }
        Assumptions.abort("SKIPPED: " + message);
    }
}
