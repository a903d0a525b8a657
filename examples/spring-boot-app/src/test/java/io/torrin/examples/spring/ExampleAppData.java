/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the example app's file storage and session store at a fresh temporary directory for one test class. */
final class ExampleAppData {

    private ExampleAppData() {}

    /**
     * Creates the directory and registers {@code files} and {@code sessions} below it.
     *
     * @param registry the test's property registry
     * @param prefix the temporary directory's name prefix
     * @return the directory
     * @throws IOException if it cannot be created
     */
    static Path temporary(DynamicPropertyRegistry registry, String prefix) throws IOException {
        Path data = Files.createTempDirectory(prefix);
        registry.add(
                "torrin.storage.local.directory", () -> data.resolve("files").toString());
        registry.add(
                "torrin.store.file.directory", () -> data.resolve("sessions").toString());
        return data;
    }
}
