/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.http;

import io.torrin.testkit.SuiteLauncher;

/**
 * Runs the Torrin protocol conformance suite against a running server:
 * {@code java -cp torrin-test-kit.jar:... io.torrin.testkit.http.ConformanceMain http://host:8080/torrin/uploads}
 * (add {@code --no-file-hash} for servers on S3 storage).
 * Exits 0 when every test passed, 1 otherwise.
 */
public final class ConformanceMain {

    private ConformanceMain() {}

    /**
     * Runs the suite.
     *
     * @param args the mount URL
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--no-file-hash"))) {
            System.err.println("usage: ConformanceMain <mount-url> [--no-file-hash], e.g. "
                    + "http://localhost:8080/torrin/uploads (--no-file-hash for S3-backed servers)");
            System.exit(2);
        }
        System.setProperty(RemoteTorrinConformance.URL_PROPERTY, args[0]);
        System.setProperty(RemoteTorrinConformance.FILE_HASH_PROPERTY, Boolean.toString(args.length == 1));
        SuiteLauncher.runAndExit(RemoteTorrinConformance.class);
    }
}
