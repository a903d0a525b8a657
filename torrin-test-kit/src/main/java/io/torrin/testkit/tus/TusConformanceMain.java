/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import io.torrin.testkit.SuiteLauncher;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the tus conformance suite against a running server:
 * {@code java -cp torrin-test-kit.jar:... io.torrin.testkit.tus.TusConformanceMain http://host:8080/tus 1073741824}
 * (the creation URL and the server's {@code Tus-Max-Size}; add {@code --stored-dir DIR} when the server keeps each
 * upload's bytes in {@code DIR/<id>}, to compare them, and {@code --no-cors} for a server that does not answer
 * cross-origin requests, whose CORS tests then check that it grants none). Exits 0 when every test passed, 1 otherwise.
 */
public final class TusConformanceMain {

    private TusConformanceMain() {}

    /**
     * Runs the suite.
     *
     * @param args the creation URL, the maximum size, optionally {@code --stored-dir DIR} and {@code --no-cors}
     */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean noCors = rest.remove("--no-cors");
        int stored = rest.indexOf("--stored-dir");
        String storedDir = null;
        if (stored >= 0 && stored + 1 < rest.size()) {
            storedDir = rest.remove(stored + 1);
            rest.remove(stored);
        }
        if (rest.size() != 2 || !rest.get(1).matches("\\d{1,18}")) {
            System.err.println("usage: TusConformanceMain <creation-url> <max-size> [--stored-dir <dir>] [--no-cors],"
                    + " e.g. http://localhost:8080/tus 1073741824");
            System.exit(2);
        }
        System.setProperty(RemoteTusConformance.URL_PROPERTY, rest.get(0));
        System.setProperty(RemoteTusConformance.MAX_SIZE_PROPERTY, rest.get(1));
        if (storedDir != null) {
            System.setProperty(RemoteTusConformance.STORED_DIR_PROPERTY, storedDir);
        }
        if (noCors) {
            System.setProperty(RemoteTusConformance.NO_CORS_PROPERTY, "true");
        }
        SuiteLauncher.runAndExit(RemoteTusConformance.class);
    }
}
