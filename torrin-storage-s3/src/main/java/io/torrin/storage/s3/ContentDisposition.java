/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import java.nio.charset.StandardCharsets;

/** Builds {@code Content-Disposition} values that are safe for any file name (RFC 6266 with RFC 5987 encoding). */
final class ContentDisposition {

    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private ContentDisposition() {}

    /**
     * Returns {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>}.
     *
     * @param fileName the client's file name
     * @return a header value of printable ASCII only
     */
    static String attachment(String fileName) {
        StringBuilder fallback = new StringBuilder();
        fileName.codePoints()
                .forEach(c -> fallback.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
        StringBuilder encoded = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }
}
