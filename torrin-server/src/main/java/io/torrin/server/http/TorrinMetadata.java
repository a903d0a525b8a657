/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import io.torrin.server.internal.Errors;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The metadata of the Torrin protocol as JSON: values may be strings, numbers or booleans. The engine keeps every
 * value as text; a number keeps the exact text the client sent ({@code 1e2} stays {@code 1e2}, not {@code 100.0}),
 * and the JSON type of each non-string value is kept with the upload as an attribute, so that answers give back
 * {@code 7} for {@code 7} and {@code "7"} for {@code "7"}, as the original Torrin server does. A value a hook
 * rewrote into something that is no longer a literal of its type is answered as a string. Stateless.
 */
final class TorrinMetadata {

    /** The attribute holding the JSON types of the non-string metadata values, as a JSON object. */
    static final String TYPES_ATTRIBUTE = "torrin.metadata.types";

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TorrinMetadata() {}

    /** The metadata of a create request and the attributes that remember its JSON types. */
    record Parsed(Map<String, String> values, Map<String, String> attributes) {}

    /**
     * Reads the {@code metadata} member of a create request.
     *
     * @param body the whole request body, for the exact text of numbers
     * @param node the parsed {@code metadata} member, or null if absent
     * @return the values as text and the types attribute (empty if every value is a string)
     * @throws TorrinException {@code INVALID_REQUEST} if metadata is not an object of scalars
     */
    static Parsed parse(byte[] body, JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return new Parsed(values, Map.of());
        }
        if (!node.isObject()) {
            throw Errors.invalid("metadata must be a JSON object");
        }
        Map<String, String> numbers = numberTexts(body);
        Map<String, String> types = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                values.put(key, value.textValue());
            } else if (value.isNumber()) {
                values.put(key, numbers.getOrDefault(key, value.asText()));
                types.put(key, "number");
            } else if (value.isBoolean()) {
                values.put(key, value.asText());
                types.put(key, "boolean");
            } else if (!value.isNull()) {
                throw new TorrinException(
                        ErrorCode.INVALID_REQUEST,
                        "metadata values must be strings, numbers or booleans",
                        Map.of("key", key));
            }
        }
        return new Parsed(
                values,
                types.isEmpty()
                        ? Map.of()
                        : Map.of(TYPES_ATTRIBUTE, JSON.valueToTree(types).toString()));
    }

    /**
     * Renders metadata for an answer, with each value in the JSON type it was sent in.
     *
     * @param metadata the upload's metadata
     * @param attributes the upload's attributes
     * @return the JSON object
     */
    static ObjectNode render(Map<String, String> metadata, Map<String, String> attributes) {
        Map<String, String> types = types(attributes);
        ObjectNode json = JSON.createObjectNode();
        metadata.forEach((key, value) -> {
            String type = types.get(key);
            if ("number".equals(type) && JSON_NUMBER.matcher(value).matches()) {
                json.putRawValue(key, new RawValue(value));
            } else if ("boolean".equals(type) && (value.equals("true") || value.equals("false"))) {
                json.put(key, Boolean.parseBoolean(value));
            } else {
                json.put(key, value);
            }
        });
        return json;
    }

    private static Map<String, String> types(Map<String, String> attributes) {
        String text = attributes.get(TYPES_ATTRIBUTE);
        Map<String, String> types = new HashMap<>();
        if (text == null) {
            return types;
        }
        try {
            JSON.readTree(text)
                    .properties()
                    .forEach(e -> types.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            // an unreadable attribute: every value is answered as a string
        }
        return types;
    }

    /** The exact text of each number directly in the top-level {@code metadata} object of a request body. */
    private static Map<String, String> numberTexts(byte[] body) {
        Map<String, String> texts = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return texts;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        JsonToken token = parser.nextToken();
                        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                            texts.put(key, parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    return texts;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // the tree parse already accepted the body; without the texts, numbers keep Jackson's form
        }
        return texts;
    }
}
