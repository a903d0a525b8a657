/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.spring;

import io.torrin.server.UploadEvent;
import io.torrin.server.UploadListener;
import io.torrin.spring.TorrinUploadEvent;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot application that only adds the Torrin starter: the protocol is served under
 * {@code /torrin/uploads}, files land in {@code ./data/files}, sessions in the durable file store in
 * {@code ./data/sessions}, and {@code /} serves a browser upload page; Actuator serves {@code /actuator/health}
 * (with the {@code torrin} group) and {@code /actuator/prometheus} (with Torrin's meters). See
 * {@code application.properties}.
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

    /**
     * Logs who finished which upload: every upload event is also a Spring application event.
     *
     * @param event the event
     */
    // snippet:spring-event-listener
    @EventListener
    void onUploadEvent(TorrinUploadEvent event) {
        if (event.getType() == UploadEvent.Type.COMPLETED) {
            String who = event.getPrincipal().map(Principal::getName).orElse("anonymous");
            LOG.info("{} finished {}", who, event.getSession().fileName().orElse("(no name)"));
        }
    }
    // end:spring-event-listener
}
