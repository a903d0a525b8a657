/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.server.internal.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * The request cycle both protocol handlers share: the checks every request passes first (a valid {@code Host}, no
 * repeated protocol header), CORS preflights, dispatch, errors turned into responses (never an exception out of a
 * handler, never a 500 for a client mistake), the remainder of a refused body drained or, when that would be slow,
 * left unread with {@code Connection: close}, CORS headers on every answer.
 */
final class HandlerTemplate {

    /** What differs between protocols. */
    interface Protocol {

        /** The methods the request's path allows, for preflights; may throw a {@link TorrinException}. */
        List<String> allowedMethods(HttpRequest request);

        /** Answers a request that is not a preflight; may throw a {@link TorrinException}. */
        HttpResponse.Builder dispatch(HttpRequest request);

        /** Turns an error into the protocol's error response. */
        HttpResponse.Builder error(TorrinException e);

        /** Headers every answer of the protocol carries, preflights included. */
        default Map<String, String> commonHeaders() {
            return Map.of();
        }

        /** The protocol's headers a request may carry at most once; a repeated one is refused with 400. */
        List<String> singleValuedHeaders();
    }

    /** What makes a {@code Host} value well-formed: a host name, IPv4 or bracketed IPv6 address, optional port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~-]+)(:[0-9]{1,5})?");

    private HandlerTemplate() {}

    static HttpResponse handle(
            HttpRequest request, CorsPolicy cors, long maxDrainBytes, Logger log, Protocol protocol) {
        TrackedRequest tracked = new TrackedRequest(request);
        request = tracked;
        HttpResponse.Builder response;
        try {
            checkHeaders(request, protocol.singleValuedHeaders());
            if (CorsPolicy.isPreflight(request) && cors.isEnabled()) {
                HttpResponse preflight = cors.preflight(request, protocol.allowedMethods(request));
                if (protocol.commonHeaders().isEmpty()) {
                    return preflight;
                }
                Map<String, List<String>> headers = new LinkedHashMap<>(preflight.headers());
                protocol.commonHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
                return new HttpResponse(preflight.status(), headers, preflight.body());
            }
            response = protocol.dispatch(request);
            if (response.build().status() >= 400) {
                RequestBodies.discardRemainder(request, tracked.consumed(), maxDrainBytes, response);
            } else {
                RequestBodies.closeIfUnread(request, tracked.consumed(), response);
            }
        } catch (TorrinException e) {
            if (e.code() == ErrorCode.STORAGE_ERROR || e.code() == ErrorCode.INTERNAL_ERROR) {
                log.warn("{} {} failed: {}", request.method(), request.path(), e.getMessage(), e);
            }
            response = protocol.error(e);
            if (Boolean.TRUE.equals(e.details().get("interrupted")) || e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                // the body broke off or was ended (a stalled request, a shutdown): nothing left is worth waiting for
                response.header("Connection", "close");
            } else {
                RequestBodies.discardRemainder(request, tracked.consumed(), maxDrainBytes, response);
            }
        } catch (RuntimeException e) {
            log.error("Unexpected failure handling {} {}", request.method(), request.path(), e);
            response = protocol.error(new TorrinException(ErrorCode.INTERNAL_ERROR, "internal error"));
            RequestBodies.discardRemainder(request, tracked.consumed(), maxDrainBytes, response);
        }
        protocol.commonHeaders().forEach(response::header);
        cors.decorate(request, response);
        return response.build();
    }

    /**
     * The method a request asks for: its own, or on a {@code POST} the one {@code X-HTTP-Method-Override} names.
     * Method tokens are case-sensitive (RFC 9110 §9.1), as security constraints that match them are: {@code patch}
     * is not {@code PATCH}, and is answered 405.
     */
    static String effectiveMethod(HttpRequest request) {
        String method = request.method();
        if (method.equals("POST")) {
            Optional<String> override = request.header("X-HTTP-Method-Override").map(String::trim);
            if (override.isPresent() && !override.get().isEmpty()) {
                return override.get();
            }
        }
        return method;
    }

    /** The upload id a path names ({@code /{id}}), or empty for the mount point itself; 404 for any other path. */
    static Optional<String> uploadRoute(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (trimmed.contains("/")) {
            throw new TorrinException(
                    ErrorCode.ROUTE_NOT_FOUND, "no such route: " + Errors.printable(path, 200), Map.of());
        }
        if (!UploadIds.isWellFormed(trimmed)) {
            throw new TorrinException(
                    ErrorCode.UPLOAD_NOT_FOUND, "no such upload: " + Errors.printable(trimmed, 200), Map.of());
        }
        return Optional.of(trimmed);
    }

    /** Whether a request's media type (its {@code Content-Type} without parameters) is {@code type}. */
    static boolean hasMediaType(HttpRequest request, String type) {
        return request.header("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().equalsIgnoreCase(type))
                .orElse(false);
    }

    /**
     * The same error with the URL of the upload it created, for a creation whose content failed after the upload
     * existed: the answer then carries {@code Location}, so the client can resume it.
     */
    static TorrinException withLocation(TorrinException e, String location) {
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        details.put("location", location);
        return new TorrinException(e.code(), e.getMessage(), details, e);
    }

    /**
     * Adds the header fields of an offset protocol's error answer: {@code Retry-After} on 423, 429 and 503 (the
     * error's {@code retryAfterSeconds}, else 1) and {@code Location} where {@link #withLocation} put one.
     */
    static HttpResponse.Builder retryAndLocation(TorrinException e, int status, HttpResponse.Builder response) {
        if (status == 423 || status == 429 || status == 503) {
            Object after = e.details().get("retryAfterSeconds");
            response.header("Retry-After", after == null ? "1" : after.toString());
        }
        Object location = e.details().get("location");
        if (location != null) {
            response.header("Location", location.toString());
        }
        return response;
    }

    /**
     * Refuses a request whose {@code Host} is missing-but-announced, empty or malformed (HTTP/1.1 requires 400: a
     * {@code Location} built from it would be invalid), or that repeats a header the protocol reads once (which
     * value would count is ambiguous).
     */
    private static void checkHeaders(HttpRequest request, List<String> singleValued) {
        List<String> hosts = request.headers("Host");
        if (hosts.size() > 1
                || (hosts.size() == 1 && !HOST.matcher(hosts.get(0).trim()).matches())) {
            throw Errors.invalid("the Host header must name exactly one host");
        }
        for (String name : singleValued) {
            if (request.headers(name).size() > 1) {
                throw Errors.invalid(name + " must not be repeated");
            }
        }
    }
}
