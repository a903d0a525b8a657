/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** What the command-line runners of the conformance suites share. Not thread-safe (it sets system properties). */
public final class SuiteLauncher {

    private SuiteLauncher() {}

    /**
     * Runs a suite class with the JUnit launcher, prints the first failures and a summary to standard output, and
     * exits the JVM: 0 when every test passed, 1 otherwise.
     *
     * @param suite the test class, not null
     */
    public static void runAndExit(Class<?> suite) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(suite))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printFailuresTo(new PrintWriter(System.out), 20);
        System.out.printf("%d passed, %d failed%n", summary.getTestsSucceededCount(), summary.getTestsFailedCount());
        System.exit(summary.getTotalFailureCount() == 0 ? 0 : 1);
    }

    /**
     * Reads the stored bytes of an upload from a directory that holds each complete upload in a file named by its
     * id, the last path segment of its URL; for the remote suites' stored-bytes comparison.
     *
     * @param dirProperty the system property naming the directory, not null
     * @param uploadUrl the upload's URL, not null
     * @return the bytes, or empty when the property is not set
     * @throws IOException if the file cannot be read
     */
    public static Optional<byte[]> storedBytes(String dirProperty, URI uploadUrl) throws IOException {
        String dir = System.getProperty(dirProperty);
        if (dir == null) {
            return Optional.empty();
        }
        String path = uploadUrl.getPath();
        return Optional.of(Files.readAllBytes(Path.of(dir).resolve(path.substring(path.lastIndexOf('/') + 1))));
    }
}
