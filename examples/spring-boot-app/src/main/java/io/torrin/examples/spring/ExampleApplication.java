/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import io.torrin.server.UploadEvent;
import io.torrin.server.UploadListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that only adds the Torrin starter: the protocol is served under
 * {@code /torrin/uploads}, files land in {@code ./data/files}, sessions in the durable file store in
 * {@code ./data/sessions}, and {@code /} serves a browser upload page. See {@code application.properties}.
 */
@SpringBootApplication
public class ExampleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApplication.class);

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, for example {@code --server.port=9000}
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    /**
     * Logs finished uploads: any {@link UploadListener} bean is picked up by the starter.
     *
     * @return the listener
     */
    // snippet:spring-listener
    @Bean
    UploadListener logFinishedUploads() {
        return event -> {
            if (event.type() == UploadEvent.Type.COMPLETED) {
                LOG.info(
                        "Upload {} completed: {} ({} bytes) at {}",
                        event.session().uploadId(),
                        event.session().fileName().orElse("(no name)"),
                        event.session().knownFileSize(),
                        event.location().map(l -> l.attributes().toString()).orElse("?"));
            }
        };
    }
    // end:spring-listener
}
