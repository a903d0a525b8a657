/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the fields of completion hooks ({@link io.torrin.server.UploadHooks#afterComplete}) into an answer: as JSON
 * properties (Torrin protocol) or as headers (tus), leaving out any that would overwrite a protocol field.
 */
final class ResponseFields {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseFields.class);

    /** Header prefixes and names a field may not take: the protocols', and those HTTP gives a meaning. */
    private static final Set<String> RESERVED_HEADER_PREFIXES =
            Set.of("upload-", "tus-", "content-", "access-control-");

    private static final Set<String> RESERVED_HEADERS = Set.of(
            "location",
            "cache-control",
            "connection",
            "transfer-encoding",
            "set-cookie",
            "date",
            "server",
            "vary",
            "retry-after",
            "x-content-type-options",
            "x-http-method-override");

    private ResponseFields() {}

    /** Adds each field as a string property unless the JSON already has a property of that name. */
    static void json(ObjectNode json, Map<String, String> fields) {
        fields.forEach((name, value) -> {
            if (json.has(name)) {
                LOG.warn("A completion hook's field {} has the name of a protocol field; left out", name);
            } else {
                json.put(name, value);
            }
        });
    }

    /** Adds each field as a header unless the name is a protocol's or HTTP's. */
    static void headers(HttpResponse.Builder response, Map<String, String> fields) {
        fields.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_HEADERS.contains(lower)
                    || RESERVED_HEADER_PREFIXES.stream().anyMatch(lower::startsWith)) {
                LOG.warn("A completion hook's field {} has the name of a protocol header; left out", name);
            } else {
                response.header(name, value);
            }
        });
    }
}
