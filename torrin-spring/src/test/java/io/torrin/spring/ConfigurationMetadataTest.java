/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The starter ships generated configuration metadata, so IDEs complete and document torrin.* properties. */
class ConfigurationMetadataTest {

    @Test
    void metadataWhenGeneratedThenEveryPropertyHasADescriptionAndKeyDefaultsAreListed() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.get("properties").forEach(p -> properties.put(p.get("name").asText(), p));
        assertThat(properties)
                .containsKeys(
                        "torrin.base-path",
                        "torrin.storage.local.directory",
                        "torrin.store.type",
                        "torrin.chunk.default-size",
                        "torrin.chunk.min-size",
                        "torrin.chunk.max-size",
                        "torrin.max-file-size",
                        "torrin.upload-ttl",
                        "torrin.sweep-interval",
                        "torrin.cors.allowed-origins",
                        "torrin.trust-forwarded-headers");
        assertThat(properties.values())
                .allSatisfy(p -> assertThat(p.path("description").asText())
                        .as(p.toString())
                        .isNotBlank());
        assertThat(properties.get("torrin.base-path").get("defaultValue").asText())
                .isEqualTo("/torrin/uploads");
        assertThat(properties
                        .get("torrin.chunk.default-size")
                        .get("defaultValue")
                        .asText())
                .isEqualTo("1MB");
    }

    @Test
    void documentationWhenPropertiesExistThenEveryOneIsListedInTheStarterDocs() throws Exception {
        String docs = Files.readString(Path.of("../docs/spring-boot.md"));
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        metadata.get("properties")
                .forEach(p -> assertThat(docs)
                        .as("docs/spring-boot.md lists %s", p.get("name"))
                        .contains("`" + p.get("name").asText() + "`"));
    }
}
