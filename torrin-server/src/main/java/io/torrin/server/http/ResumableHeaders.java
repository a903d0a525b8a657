/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.Errors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The header fields of the IETF resumable-upload draft: Structured Field (RFC 9651) booleans and integers read
 * strictly, {@code Upload-Limit} written, the draft's problem types (RFC 9457) built, and a body stream that tells a
 * body read to its end from one that broke off.
 */
final class ResumableHeaders {

    static final String INTEROP_VERSION = "Upload-Draft-Interop-Version";
    static final String COMPLETE = "Upload-Complete";
    static final String OFFSET = "Upload-Offset";
    static final String LENGTH = "Upload-Length";
    static final String LIMIT = "Upload-Limit";
    static final String PARTIAL_UPLOAD = "application/partial-upload";
    static final String PROBLEM_TYPES = "https://iana.org/assignments/http-problem-types#";
    static final String MISMATCHING_OFFSET = PROBLEM_TYPES + "mismatching-upload-offset";
    static final String COMPLETED_UPLOAD = PROBLEM_TYPES + "completed-upload";
    static final String INCONSISTENT_LENGTH = PROBLEM_TYPES + "inconsistent-upload-length";

    /** An sf-integer as the draft uses it: non-negative, at most 15 digits (RFC 9651 §3.3.1). */
    private static final Pattern INTEGER = Pattern.compile("[0-9]{1,15}");
    /** An sf-boolean, optionally followed by parameters, which carry no meaning here (RFC 9651 §3.3.6, §3.1.2). */
    private static final Pattern BOOLEAN = Pattern.compile("\\?([01])(;[ ]*[a-z*][a-z0-9_.*-]*(=[^;]*)?)*");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ResumableHeaders() {}

    /** The revision a request asks for; 400 for an interop version this server does not speak. */
    static ResumableDraft draft(HttpRequest request) {
        Optional<String> value = request.header(INTEROP_VERSION);
        if (value.isEmpty()) {
            return ResumableDraft.LATEST;
        }
        long version = integer(value.get(), INTEROP_VERSION);
        return ResumableDraft.ofInteropVersion(version)
                .orElseThrow(() -> Errors.invalid(INTEROP_VERSION + " " + version + " is not supported; this server "
                        + "speaks " + ResumableDraft.DRAFT_03.interopVersion() + ", "
                        + ResumableDraft.DRAFT_05.interopVersion() + " and "
                        + ResumableDraft.LATEST.interopVersion()));
    }

    /** The request's {@code Upload-Complete}, or empty if it has none; 400 if it is not an sf-boolean. */
    static Optional<Boolean> complete(HttpRequest request) {
        Optional<String> value = request.header(COMPLETE).map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        var matcher = BOOLEAN.matcher(value.get());
        if (!matcher.matches()) {
            throw Errors.invalid(COMPLETE + " must be ?1 or ?0");
        }
        return Optional.of(matcher.group(1).equals("1"));
    }

    /** A header holding an sf-integer, or empty if absent; 400 if malformed. */
    static OptionalLong integer(HttpRequest request, String name) {
        Optional<String> value = request.header(name);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(integer(value.get(), name));
    }

    private static long integer(String value, String name) {
        String trimmed = value.trim();
        if (!INTEGER.matcher(trimmed).matches()) {
            throw Errors.invalid(name + " must be a non-negative integer of at most 15 digits");
        }
        return Long.parseLong(trimmed);
    }

    /** Formats an sf-boolean. */
    static String bool(boolean value) {
        return value ? "?1" : "?0";
    }

    /** Whether the request's media type is {@code application/partial-upload} (parameters ignored). */
    static boolean isPartialUpload(HttpRequest request) {
        return HandlerTemplate.hasMediaType(request, PARTIAL_UPLOAD);
    }

    /**
     * The {@code Upload-Limit} dictionary: {@code max-size} when the server has a maximum, {@code min-size=0}
     * otherwise (a limit field is never empty), and {@code max-age}, the seconds left to complete the upload,
     * when given.
     */
    static String limit(long maxSize, OptionalLong secondsLeft) {
        StringBuilder value = new StringBuilder();
        if (maxSize < Long.MAX_VALUE) {
            value.append("max-size=").append(Math.min(maxSize, 999_999_999_999_999L));
        } else {
            value.append("min-size=0");
        }
        secondsLeft.ifPresent(seconds -> value.append(", max-age=").append(Math.max(0, seconds)));
        return value.toString();
    }

    /**
     * A problem-details response (RFC 9457): {@code type} the draft's problem type or {@code about:blank},
     * {@code title} the message, {@code status}, Torrin's {@code code}, and the extension members.
     */
    static HttpResponse.Builder problem(int status, String type, TorrinException e, Map<String, Object> members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", e.getMessage() == null ? "" : e.getMessage());
        body.put("status", status);
        body.put("code", e.code().name());
        body.putAll(members);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            json = ("{\"type\":\"about:blank\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        return HttpResponse.status(status)
                .header("Content-Type", "application/problem+json")
                .body(json);
    }

    /** The error of a request that is well-formed HTTP but breaks the draft's rules. */
    static TorrinException inconsistentLength(String message) {
        return new TorrinException(ErrorCode.INVALID_REQUEST, message, Map.of("problem", INCONSISTENT_LENGTH));
    }

    /** A body stream that remembers whether it was read to its end (rather than broken off by the client). */
    static final class EndAware extends FilterInputStream {
        private boolean ended;

        EndAware(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }

        /** Whether a read returned end of stream. */
        boolean ended() {
            return ended;
        }
    }
}
