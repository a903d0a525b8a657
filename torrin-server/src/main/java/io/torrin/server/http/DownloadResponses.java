/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.Download;
import io.torrin.server.internal.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a download of a completed upload as a user agent expects (RFC 9110): conditional requests (§13:
 * {@code If-Match}, {@code If-Unmodified-Since} → 412; {@code If-None-Match}, {@code If-Modified-Since} → 304, in the
 * order of §13.2.2), one byte range (§14: {@code Range} → 206 or 416, {@code If-Range}), validators ({@code ETag},
 * {@code Last-Modified}), {@code Content-Type} as stored with {@code X-Content-Type-Options: nosniff}, a safe
 * {@code Content-Disposition}, the configured {@code Cache-Control}, and an optional redirect to a direct URL of the
 * storage. Shared by every protocol's download route. Stateless.
 */
final class DownloadResponses {

    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final Pattern SINGLE_RANGE = Pattern.compile("[ \\t]*([0-9]*)[ \\t]*-[ \\t]*([0-9]*)[ \\t]*");
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private DownloadResponses() {}

    /**
     * Answers a {@code GET} or {@code HEAD} of a download.
     *
     * @param request the request
     * @param download the opened download (the hooks allowed it)
     * @param options the handler's download options
     * @param error the protocol's error response for 412 and 416
     */
    static HttpResponse.Builder serve(
            HttpRequest request,
            Download download,
            DownloadOptions options,
            Function<TorrinException, HttpResponse.Builder> error) {
        boolean head = request.method().equals("HEAD");
        String etag = download.etag();
        Instant modified = download.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long length = download.length();
        Optional<String> ifMatch = request.header("If-Match");
        if (ifMatch.isPresent()
                ? !matches(ifMatch.get(), etag, false)
                : isAfter(modified, request, "If-Unmodified-Since")) {
            return validators(
                    error.apply(new TorrinException(
                            ErrorCode.PRECONDITION_FAILED,
                            "the file does not satisfy the request's precondition",
                            Map.of())),
                    etag,
                    modified,
                    options);
        }
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent()
                ? matches(ifNoneMatch.get(), etag, true)
                : request.header("If-Modified-Since").isPresent()
                        && !isAfter(modified, request, "If-Modified-Since")
                        && date(request.header("If-Modified-Since").get()).isPresent()) {
            return validators(HttpResponse.status(304), etag, modified, options);
        }
        String type = contentType(download.session().mimeType());
        String baseType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String disposition = download.contentDisposition(options.inlineTypes().contains(baseType));
        Optional<long[]> range = range(request, etag, modified, length);
        if (range.isPresent() && range.get().length == 0) {
            return validators(
                            error.apply(new TorrinException(
                                    ErrorCode.RANGE_NOT_SATISFIABLE,
                                    "the range lies beyond the file's " + length + " bytes",
                                    Map.of("length", length))),
                            etag,
                            modified,
                            options)
                    .header("Content-Range", "bytes */" + length);
        }
        if (!head && options.directUrlValidity().isPresent()) {
            Optional<URI> direct =
                    download.directUrl(options.directUrlValidity().get(), type, disposition);
            if (direct.isPresent()) {
                return HttpResponse.status(307)
                        .header("Location", direct.get().toString())
                        .header("Cache-Control", "no-store");
            }
        }
        long offset = range.map(r -> r[0]).orElse(0L);
        long count = range.map(r -> r[1] - r[0] + 1).orElse(length);
        HttpResponse.Builder response = validators(
                        HttpResponse.status(range.isPresent() ? 206 : 200), etag, modified, options)
                .header("Accept-Ranges", "bytes")
                .header("Content-Type", type)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", disposition);
        if (range.isPresent()) {
            response.header("Content-Range", "bytes " + offset + "-" + (offset + count - 1) + "/" + length);
        }
        if (head || count == 0) {
            return response.header("Content-Length", Long.toString(count));
        }
        return response.content(new Content(download, offset, count));
    }

    private static HttpResponse.Builder validators(
            HttpResponse.Builder response, String etag, Instant modified, DownloadOptions options) {
        return response.header("ETag", etag)
                .header("Last-Modified", HTTP_DATE.format(modified))
                .header("Cache-Control", options.cacheControl());
    }

    /**
     * Evaluates {@code Range} under {@code If-Range}: empty to send the whole file (no range, a range this server
     * does not serve such as several ranges or another unit, a malformed one, or an {@code If-Range} that does not
     * match); an empty array for an unsatisfiable range; else {@code {first, last}}.
     */
    private static Optional<long[]> range(HttpRequest request, String etag, Instant modified, long length) {
        Optional<String> header = request.header("Range");
        if (header.isEmpty() || request.headers("Range").size() > 1) {
            return Optional.empty();
        }
        Optional<String> ifRange = request.header("If-Range").map(String::trim);
        if (ifRange.isPresent()) {
            String validator = ifRange.get();
            boolean same = validator.startsWith("\"") || validator.startsWith("W/")
                    ? validator.equals(etag)
                    : date(validator).map(modified::equals).orElse(false);
            if (!same) {
                return Optional.empty();
            }
        }
        String value = header.get().trim();
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).trim().equalsIgnoreCase("bytes") || value.indexOf(',') >= 0) {
            return Optional.empty();
        }
        Matcher spec = SINGLE_RANGE.matcher(value.substring(equals + 1));
        if (!spec.matches() || (spec.group(1).isEmpty() && spec.group(2).isEmpty())) {
            return Optional.empty();
        }
        if (spec.group(1).isEmpty()) {
            long suffix = number(spec.group(2));
            if (suffix == 0 || length == 0) {
                return Optional.of(new long[0]);
            }
            return Optional.of(new long[] {Math.max(0, length - suffix), length - 1});
        }
        long first = number(spec.group(1));
        long last = spec.group(2).isEmpty() ? Long.MAX_VALUE : number(spec.group(2));
        if (last < first) {
            return Optional.empty(); // invalid (RFC 9110 §14.1.1): ignored
        }
        if (first >= length) {
            return Optional.of(new long[0]);
        }
        return Optional.of(new long[] {first, Math.min(last, length - 1)});
    }

    /** A decimal position; one too long for a long is beyond any file. */
    private static long number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    /** Compares an {@code If-Match} / {@code If-None-Match} list with the entity tag (RFC 9110 §8.8.3.2). */
    private static boolean matches(String header, String etag, boolean weak) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (weak && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the file changed after the date of a header; false when the header is absent or not a date. */
    private static boolean isAfter(Instant modified, HttpRequest request, String name) {
        return request.header(name)
                .flatMap(DownloadResponses::date)
                .map(modified::isAfter)
                .orElse(false);
    }

    private static Optional<Instant> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The stored type when it is a well-formed media type; else {@code application/octet-stream}. */
    static String contentType(String stored) {
        String type = stored.trim();
        return Validation.isMimeType(type) ? type : Validation.DEFAULT_MIME_TYPE;
    }

    /** The bytes of a download's range, read from storage only when the adapter writes them. */
    private static final class Content implements ResponseContent {
        private final Download download;
        private final long offset;
        private final long length;

        Content(Download download, long offset, long length) {
            this.download = download;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = download.open(offset, length)) {
                byte[] buffer = new byte[COPY_BUFFER_BYTES];
                long written = 0;
                int n;
                while (written < length
                        && (n = in.read(buffer, 0, (int) Math.min(buffer.length, length - written))) > 0) {
                    out.write(buffer, 0, n);
                    written += n;
                }
                if (written < length) {
                    throw new IOException("the stored file ended after " + written + " of " + length + " bytes");
                }
            } catch (TorrinException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public Optional<FileRegion> file() {
            return download.localFile().map(path -> new FileRegion(path, offset, length));
        }
    }

    /** The methods of a download route. */
    static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS");
}
