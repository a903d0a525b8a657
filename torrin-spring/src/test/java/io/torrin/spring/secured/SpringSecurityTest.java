/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadHooks;
import io.torrin.spring.TorrinUploadEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Spring Security in front of the starter, configured the ordinary way: it guards the endpoints, hooks see the principal. */
@SpringBootTest(
        classes = SpringSecurityTest.SecuredApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringSecurityTest {

    @LocalServerPort
    int port;

    @Autowired
    List<String> seenPrincipals;

    @Autowired
    EventPrincipals eventPrincipals;

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        String directory = Files.createTempDirectory("torrin-spring-security").toString();
        registry.add("torrin.storage.local.directory", () -> directory);
    }

    private HttpResponse<String> create(String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/torrin/uploads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fileSize\": 10}"));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestWhenAnonymousThenSecurityRefusesBeforeTorrin() throws Exception {
        int before = seenPrincipals.size();
        assertThat(create(null).statusCode()).isEqualTo(401);
        assertThat(seenPrincipals).hasSize(before);
    }

    @Test
    void requestWhenAuthenticatedThenHooksSeeThePrincipalAndMayRefuse() throws Exception {
        int before = seenPrincipals.size();
        HttpResponse<String> alice = create("alice");
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(201);
        HttpResponse<String> bob = create("bob");
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(bob.body()).contains("\"code\":\"FORBIDDEN\"");
        assertThat(seenPrincipals.subList(before, seenPrincipals.size())).containsExactly("alice", "bob");
    }

    @Test
    void applicationEventsWhenAuthenticatedThenCarryThePrincipalOfTheRequest() throws Exception {
        HttpResponse<String> alice = create("alice");
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(201);
        String id = alice.body().replaceAll(".*\"uploadId\":\"([^\"]+)\".*", "$1");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!eventPrincipals.byUpload.containsKey(id) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(eventPrincipals.byUpload).containsEntry(id, "alice CREATED");
    }

    /** Records the principal of every created upload's application event. */
    static class EventPrincipals {
        final Map<String, String> byUpload = new ConcurrentHashMap<>();

        @EventListener
        void on(TorrinUploadEvent event) {
            byUpload.put(
                    event.getSession().uploadId(),
                    event.getPrincipal().map(Principal::getName).orElse("anonymous") + " " + event.getType());
        }
    }

    @SpringBootApplication
    static class SecuredApplication {

        @Bean
        EventPrincipals eventPrincipals() {
            return new EventPrincipals();
        }

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(auth -> auth.requestMatchers("/torrin/**")
                            .authenticated()
                            .anyRequest()
                            .permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/torrin/**"))
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice")
                            .password("{noop}alice-password")
                            .roles("USER")
                            .build(),
                    User.withUsername("bob")
                            .password("{noop}bob-password")
                            .roles("USER")
                            .build());
        }

        @Bean
        List<String> seenPrincipals() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        UploadHooks onlyAlice(List<String> seenPrincipals) {
            return new UploadHooks() {
                @Override
                public InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
                    String name = context.principal().map(Principal::getName).orElse("anonymous");
                    seenPrincipals.add(name);
                    if (!name.equals("alice")) {
                        throw new TorrinException(ErrorCode.FORBIDDEN, "only alice uploads here");
                    }
                    return request;
                }
            };
        }
    }
}
