/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import java.nio.charset.StandardCharsets;

/**
 * Builds {@code Content-Disposition} values (RFC 6266, with the RFC 8187 {@code filename*} encoding) that are safe
 * for any stored file name: the value is printable ASCII only, so no name can inject a header or break the field;
 * directories, control characters and bidirectional-text controls (which could disguise {@code exe.txt} as
 * {@code txt.exe}) are removed first. Stateless and thread-safe.
 */
public final class ContentDisposition {

    /** The characters RFC 8187 lets through unencoded besides letters and digits. */
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";
    /** Longest name kept, in code points; longer names keep their end (where the extension is). */
    private static final int MAX_NAME_CODE_POINTS = 200;

    private ContentDisposition() {}

    /**
     * Returns {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>}.
     *
     * @param fileName the client's file name, not null
     * @return a header value of printable ASCII only
     */
    public static String attachment(String fileName) {
        return of(false, fileName);
    }

    /**
     * Returns a disposition for a file name: {@code inline} or {@code attachment}, followed by the name's
     * parameters; without a usable name (empty once cleaned) just the type.
     *
     * @param inline whether the browser may show the file in place
     * @param fileName the client's file name, not null
     * @return a header value of printable ASCII only
     */
    public static String of(boolean inline, String fileName) {
        String type = inline ? "inline" : "attachment";
        String name = safeName(fileName);
        if (name.isEmpty()) {
            return type;
        }
        StringBuilder fallback = new StringBuilder();
        name.codePoints()
                .forEach(c ->
                        fallback.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
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
        return type + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }

    /**
     * Cleans a client's file name for a download: the part after the last {@code /} or {@code \}, without control
     * characters, bidirectional-text controls or unpaired surrogates, trimmed, at most 200 code points; empty for
     * nothing usable (including {@code .} and {@code ..}).
     *
     * @param fileName the name, not null
     * @return the cleaned name, possibly empty
     */
    public static String safeName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        base.codePoints()
                .filter(c -> c >= 0x20
                        && c != 0x7F
                        && !(c >= 0x80 && c < 0xA0)
                        && !(c >= 0x200E && c <= 0x200F)
                        && !(c >= 0x202A && c <= 0x202E)
                        && !(c >= 0x2066 && c <= 0x2069)
                        && c != 0x061C
                        && !(c >= 0xD800 && c <= 0xDFFF)
                        && c != 0xFEFF)
                .forEach(clean::appendCodePoint);
        String name = clean.toString().trim();
        int count = name.codePointCount(0, name.length());
        if (count > MAX_NAME_CODE_POINTS) {
            name = name.substring(name.offsetByCodePoints(0, count - MAX_NAME_CODE_POINTS));
        }
        return name.equals(".") || name.equals("..") ? "" : name;
    }
}
