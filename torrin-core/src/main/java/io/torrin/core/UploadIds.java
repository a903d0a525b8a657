/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Upload ids: how Torrin makes them and which strings it accepts as one.
 *
 * <p>A generated id is 160 bits from {@link SecureRandom}, written as 32 characters of lowercase base32
 * ({@code a-z}, {@code 2-7}): URL-safe, safe as a file name on case-insensitive file systems, and unguessable.
 * An id is well-formed when it has 16 to 128 characters of {@code A-Z a-z 0-9 _ -}; everything else is rejected
 * before it reaches a store or a path. Thread-safe.
 */
public final class UploadIds {

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private UploadIds() {}

    /**
     * Generates a new random id.
     *
     * @return 32 lowercase base32 characters encoding 160 random bits
     */
    public static String generate() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder(32);
        for (int i = 0; i < bytes.length; i += 5) {
            long group = 0;
            for (int j = 0; j < 5; j++) {
                group = (group << 8) | (bytes[i + j] & 0xFF);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                id.append(BASE32[(int) (group >>> shift) & 31]);
            }
        }
        return id.toString();
    }

    /**
     * Tells whether a string may be an upload id.
     *
     * @param candidate any string, or null
     * @return {@code true} if it has 16 to 128 characters of {@code A-Z a-z 0-9 _ -}
     */
    public static boolean isWellFormed(String candidate) {
        return candidate != null && WELL_FORMED.matcher(candidate).matches();
    }
}
