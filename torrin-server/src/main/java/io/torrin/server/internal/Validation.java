/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The input rules of the engine, shared by every entry point so that Java and HTTP callers get the same answers. */
public final class Validation {

    /** The longest file name accepted, in UTF-8 bytes (the common file-system limit). */
    public static final int MAX_FILE_NAME_BYTES = 255;
    /** The most metadata entries accepted. */
    public static final int MAX_METADATA_ENTRIES = 256;
    /** The longest metadata key accepted, in characters. */
    public static final int MAX_METADATA_KEY_LENGTH = 128;
    /** The MIME type used when the client gives none. */
    public static final String DEFAULT_MIME_TYPE = "application/octet-stream";

    private static final Pattern MIME_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
                    + "([ \\t]*;[ \\t]*[A-Za-z0-9!#$&^_.+-]+=(\"[\\x20-\\x7E&&[^\"\\\\]]*\"|[A-Za-z0-9!#$&^_.+-]+))*");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private Validation() {}

    /**
     * Checks an upload id.
     *
     * @param uploadId the id, may be null
     * @return the id
     * @throws TorrinException with {@code INVALID_REQUEST} if it is not a well-formed id
     */
    public static String uploadId(String uploadId) {
        if (!UploadIds.isWellFormed(uploadId)) {
            throw Errors.invalid("malformed upload id", Map.of());
        }
        return uploadId;
    }

    /**
     * Checks and normalizes a SHA-256 given as lowercase or uppercase hex, optionally prefixed {@code sha256:}.
     *
     * @param hash the hash, or empty
     * @param what what the hash is of, for the message
     * @return the lowercase hex, or empty
     * @throws TorrinException with {@code INVALID_REQUEST} if it is not a SHA-256 in hex
     */
    public static Optional<String> sha256(Optional<String> hash, String what) {
        if (hash.isEmpty()) {
            return hash;
        }
        String value = hash.get().trim();
        int colon = value.indexOf(':');
        if (colon >= 0) {
            String algorithm = value.substring(0, colon);
            if (!algorithm.equalsIgnoreCase("sha256") && !algorithm.equalsIgnoreCase("sha-256")) {
                throw Errors.invalid(
                        "unsupported " + what + " hash algorithm '" + Errors.printable(algorithm, 32) + "'; use sha256",
                        Map.of());
            }
            value = value.substring(colon + 1);
        }
        if (!SHA256_HEX.matcher(value).matches()) {
            throw Errors.invalid(what + " hash must be a SHA-256 as 64 hex characters", Map.of());
        }
        return Optional.of(value.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a client file name: a plain base name without path separators, control or bidi-override
     * characters, not {@code .} or {@code ..}, not blank, at most 255 UTF-8 bytes, valid UTF-16.
     *
     * @param fileName the name, not null
     * @throws TorrinException with {@code INVALID_REQUEST} if the name is not acceptable
     */
    public static void fileName(String fileName) {
        if (fileName.isBlank()) {
            throw Errors.invalid("fileName must not be empty", Map.of());
        }
        if (fileName.equals(".") || fileName.equals("..")) {
            throw Errors.invalid("fileName must not be '.' or '..'", Map.of());
        }
        if (fileName.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
            throw Errors.invalid("fileName is longer than " + MAX_FILE_NAME_BYTES + " bytes", Map.of());
        }
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c == '/' || c == '\\') {
                throw Errors.invalid("fileName must not contain path separators", Map.of());
            }
            if (isForbiddenCharacter(c)) {
                throw Errors.invalid("fileName must not contain control characters", Map.of());
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < fileName.length()
                    && Character.isLowSurrogate(fileName.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Errors.invalid("fileName is not valid Unicode", Map.of());
            }
        }
    }

    /**
     * Checks a MIME type and supplies the default.
     *
     * @param mimeType the type, or empty
     * @return the type, or {@code application/octet-stream}
     * @throws TorrinException with {@code INVALID_REQUEST} if it is not a {@code type/subtype[; param=value]}
     */
    public static String mimeType(Optional<String> mimeType) {
        if (mimeType.isEmpty()) {
            return DEFAULT_MIME_TYPE;
        }
        String value = mimeType.get();
        if (!isMimeType(value)) {
            throw Errors.invalid("mimeType must look like type/subtype", Map.of());
        }
        return value;
    }

    /**
     * Tells whether a text is a {@code type/subtype[; param=value]} media type (RFC 9110 §8.3.1; parameters separated
     * by spaces and tabs only) of at most 255 characters. Used when a type is accepted and again when it is served.
     *
     * @param value the text, not null
     * @return whether it is such a type
     */
    public static boolean isMimeType(String value) {
        return value.length() <= 255 && MIME_TYPE.matcher(value).matches();
    }

    /**
     * Checks metadata: at most 256 entries, keys 1–128 characters without control characters, values without
     * NUL and other control characters but tab, and the UTF-8 size of all keys and values within the limit.
     *
     * @param metadata the metadata, not null
     * @param maxBytes the most UTF-8 bytes of all keys and values together
     * @throws TorrinException with {@code PAYLOAD_TOO_LARGE} above the limits, {@code INVALID_REQUEST} for
     *     bad keys or values
     */
    public static void metadata(Map<String, String> metadata, int maxBytes) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new TorrinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "metadata has more than " + MAX_METADATA_ENTRIES + " entries",
                    Map.of("maxEntries", MAX_METADATA_ENTRIES));
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH || !isCleanText(key, false)) {
                throw Errors.invalid(
                        "metadata keys must have 1 to " + MAX_METADATA_KEY_LENGTH
                                + " characters and no control characters",
                        Map.of());
            }
            if (!isCleanText(entry.getValue(), true)) {
                throw Errors.invalid(
                        "metadata value of '" + key + "' contains control characters or invalid Unicode",
                        Map.of("key", key));
            }
            bytes += key.getBytes(StandardCharsets.UTF_8).length
                    + (long) entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > maxBytes) {
            throw new TorrinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "metadata is larger than " + maxBytes + " bytes",
                    Map.of("maxBytes", maxBytes, "actualBytes", bytes));
        }
    }

    /**
     * Tells whether text is free of control characters and unpaired surrogates.
     *
     * @param text the text
     * @param allowTab whether a tab is allowed
     * @return {@code true} if the text is clean
     */
    public static boolean isCleanText(String text, boolean allowTab) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isForbiddenCharacter(c) && !(allowTab && c == '\t')) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isForbiddenCharacter(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E'
                || c == '\u200F'
                || c == '\u2028'
                || c == '\u2029';
    }
}
