/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Name helpers shared by storage drivers that derive file names or object keys from a client's file name. The
 * engine has already refused names with path separators, control characters or {@code ..}; these make the
 * remaining names safe on every file system and readable as keys. Stateless and thread-safe.
 */
public final class StorageNames {

    private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,16})$");
    private static final Pattern WINDOWS_RESERVED =
            Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\\..*)?");
    private static final Pattern FORBIDDEN = Pattern.compile("[<>:\"/\\\\|?*\\x00-\\x1F\\x7F]");

    private StorageNames() {}

    /**
     * Returns a short alphanumeric extension of a file name, lower-cased, with its dot.
     *
     * @param fileName the client's file name, not null (may be empty)
     * @return for example {@code ".mp4"}, or {@code ""} if the name has no 1–16 character alphanumeric extension
     */
    public static String extension(String fileName) {
        Matcher matcher = EXTENSION.matcher(fileName);
        return matcher.find() ? "." + matcher.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * Makes a client's file name safe as a single file name or key segment: NFC-normalized, characters that some
     * file systems forbid ({@code < > : " / \ | ? *}, control characters) replaced by {@code _}, leading and
     * trailing dots and spaces removed, and a name Windows reserves for devices ({@code CON}, {@code NUL.txt},
     * {@code com1.log}, …: whatever the case and extension) prefixed with {@code _}, so that the file can be created and
     * opened on every file system (and a share served to Windows clients).
     *
     * @param fileName the client's file name, not null (may be empty)
     * @return a non-empty name ({@code "file"} if nothing is left)
     */
    public static String sanitize(String fileName) {
        String name = Normalizer.normalize(fileName, Normalizer.Form.NFC);
        name = FORBIDDEN.matcher(name).replaceAll("_");
        name = name.replaceAll("^[. ]+", "").replaceAll("[. ]+$", "");
        if (name.isEmpty()) {
            return "file";
        }
        return WINDOWS_RESERVED.matcher(name).matches() ? "_" + name : name;
    }
}
