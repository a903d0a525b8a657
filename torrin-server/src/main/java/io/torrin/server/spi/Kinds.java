/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.util.Locale;

/** The default {@code kind()} of drivers and stores: derived from the class name. */
final class Kinds {

    private Kinds() {}

    static String of(Class<?> type, String... suffixes) {
        String name = type.getSimpleName();
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        return name.isEmpty() ? "custom" : name.toLowerCase(Locale.ROOT);
    }
}
