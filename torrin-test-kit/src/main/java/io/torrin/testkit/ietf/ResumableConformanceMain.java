/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.ietf;

import io.torrin.testkit.SuiteLauncher;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the resumable-upload conformance suite against a running server:
 * {@code java -cp torrin-test-kit.jar:... io.torrin.testkit.ietf.ResumableConformanceMain
 * http://host:8080/resumable 1073741824} (the creation URL and the server's maximum upload size; add
 * {@code --stored-dir DIR} when the server keeps each upload's bytes in {@code DIR/<id>}, to compare them). Exits 0
 * when every test passed, 1 otherwise.
 */
public final class ResumableConformanceMain {

    private ResumableConformanceMain() {}

    /**
     * Runs the suite.
     *
     * @param args the creation URL, the maximum size, optionally {@code --stored-dir DIR}
     */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        int stored = rest.indexOf("--stored-dir");
        if (stored >= 0 && stored + 1 < rest.size()) {
            System.setProperty(RemoteResumableConformance.STORED_DIR_PROPERTY, rest.remove(stored + 1));
            rest.remove(stored);
        }
        if (rest.size() != 2 || !rest.get(1).matches("\\d{1,18}")) {
            System.err.println("usage: ResumableConformanceMain <creation-url> <max-size> [--stored-dir <dir>],"
                    + " e.g. http://localhost:8080/resumable 1073741824");
            System.exit(2);
        }
        System.setProperty(RemoteResumableConformance.URL_PROPERTY, rest.get(0));
        System.setProperty(RemoteResumableConformance.MAX_SIZE_PROPERTY, rest.get(1));
        SuiteLauncher.runAndExit(RemoteResumableConformance.class);
    }
}
