/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.core.BodyChecksum;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The strict parsing of tus request headers: numbers, {@code Upload-Metadata}, {@code Upload-Checksum} (header or
 * trailer), and the body's announced length and type. Every malformed value is an {@code INVALID_REQUEST}.
 * Stateless and thread-safe.
 */
final class TusHeaders {

    /** The checksum algorithms announced in {@code Tus-Checksum-Algorithm}, with their JDK names. */
    static final Map<String, String> CHECKSUMS = checksums();

    /** The media type of every tus body. */
    static final String OFFSET_STREAM = "application/offset+octet-stream";

    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final Pattern METADATA_KEY = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern BASE64 = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private TusHeaders() {}

    static Optional<BodyChecksum> checksum(HttpRequest request) {
        Optional<String> header = request.header("Upload-Checksum");
        if (header.isPresent()) {
            BodyChecksum.Expected expected = parseChecksum(header.get());
            return Optional.of(BodyChecksum.of(expected.algorithm(), expected.digest()));
        }
        boolean announced = request.headers("Trailer").stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .anyMatch(name -> name.trim().equalsIgnoreCase("Upload-Checksum"));
        if (!announced) {
            return Optional.empty();
        }
        return Optional.of(new BodyChecksum(
                List.copyOf(CHECKSUMS.values()),
                () -> request.trailer("Upload-Checksum").map(TusHeaders::parseChecksum)));
    }

    static BodyChecksum.Expected parseChecksum(String value) {
        String[] parts = value.trim().split(" ");
        if (parts.length != 2) {
            throw Errors.invalid("Upload-Checksum must be '<algorithm> <base64 digest>'");
        }
        String algorithm = CHECKSUMS.get(parts[0].toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw Errors.invalid("unsupported checksum algorithm; supported: " + String.join(",", CHECKSUMS.keySet()));
        }
        byte[] digest = base64(parts[1], "Upload-Checksum");
        int expectedLength = switch (algorithm) {
            case "MD5" -> 16;
            case "SHA-1" -> 20;
            case "SHA-256" -> 32;
            default -> 64;
        };
        if (digest.length != expectedLength) {
            throw Errors.invalid("the " + parts[0] + " digest must have " + expectedLength + " bytes");
        }
        return new BodyChecksum.Expected(algorithm, digest);
    }

    /**
     * Parses {@code Upload-Metadata} strictly: comma-separated pairs without extra spaces, each a key of token
     * characters, optionally a single space and a padded standard base64 value; keys unique. Values that are
     * UTF-8 text without control characters become the upload's metadata; other (binary) values are only echoed
     * (the header is kept verbatim).
     */
    static Map<String, String> metadata(Optional<String> header, int maxMetadataHeaderBytes) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header.isEmpty()) {
            return metadata;
        }
        String value = header.get();
        if (value.length() > maxMetadataHeaderBytes) {
            throw Errors.invalid("Upload-Metadata is longer than " + maxMetadataHeaderBytes + " bytes");
        }
        Set<String> keys = new HashSet<>();
        for (String pair : value.split(",", -1)) {
            String[] parts = pair.split(" ", -1);
            if (parts.length > 2 || !METADATA_KEY.matcher(parts[0]).matches()) {
                throw Errors.invalid("Upload-Metadata must be comma-separated 'key base64value' pairs");
            }
            if (!keys.add(parts[0])) {
                throw Errors.invalid("Upload-Metadata repeats the key " + parts[0]);
            }
            byte[] bytes = parts.length == 2 && !parts[1].isEmpty() ? base64(parts[1], "Upload-Metadata") : new byte[0];
            utf8(bytes)
                    .filter(text -> Validation.isCleanText(text, true))
                    .ifPresent(text -> metadata.put(parts[0], text));
        }
        return metadata;
    }

    static byte[] base64(String value, String header) {
        if (value.isEmpty() || value.length() % 4 != 0 || !BASE64.matcher(value).matches()) {
            throw Errors.invalid(header + " holds a value that is not padded standard base64");
        }
        return Base64.getDecoder().decode(value);
    }

    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static long number(String value, String header) {
        String trimmed = value.trim();
        if (!NUMBER.matcher(trimmed).matches()) {
            throw Errors.invalid(header + " must be a non-negative integer");
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw Errors.invalid(header + " is too large");
        }
    }

    static OptionalLong contentLength(HttpRequest request) {
        Optional<String> header = request.header("Content-Length");
        return header.isEmpty() ? OptionalLong.empty() : OptionalLong.of(number(header.get(), "Content-Length"));
    }

    static boolean hasBody(HttpRequest request) {
        Optional<String> length = request.header("Content-Length");
        if (length.isPresent()) {
            return number(length.get(), "Content-Length") > 0;
        }
        return request.header("Transfer-Encoding").isPresent();
    }

    static boolean isOffsetStream(HttpRequest request) {
        return HandlerTemplate.hasMediaType(request, OFFSET_STREAM);
    }

    static Map<String, String> checksums() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("md5", "MD5");
        map.put("sha1", "SHA-1");
        map.put("sha256", "SHA-256");
        map.put("sha512", "SHA-512");
        return map;
    }
}
