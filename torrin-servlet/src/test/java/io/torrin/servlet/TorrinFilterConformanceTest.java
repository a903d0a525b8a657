/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.torrin.testkit.http.TorrinProtocolConformanceKit;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol conformance suite against {@link TorrinFilter} mounted inside an "existing" web application with
 * its own servlet, plus the filter's pass-through and CORS behaviour on a real container.
 */
class TorrinFilterConformanceTest extends TorrinProtocolConformanceKit {

    @TempDir
    static Path directory;

    private static JettyServer jetty;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyServer(directory, "/", server -> {
            server.context.addServlet(
                    new ServletHolder(new HttpServlet() {
                        @Override
                        protected void service(HttpServletRequest request, HttpServletResponse response)
                                throws IOException {
                            response.setContentType("text/plain");
                            response.getWriter()
                                    .write("application " + request.getMethod() + " " + request.getRequestURI());
                        }
                    }),
                    "/*");
            server.context.addFilter(
                    new FilterHolder(new TorrinFilter(server.handler, "/api/uploads/")),
                    "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        });
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Override
    protected URI mountUrl() {
        return jetty.url("/api/uploads");
    }

    @Override
    protected Optional<byte[]> storedBytes(JsonNode location) throws IOException {
        return jetty.storedBytes(location);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(jetty.url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void filterWhenRequestIsOutsideThePrefixThenTheApplicationAnswersUntouched() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("application GET /hello");
        assertThat(get("/api/uploadsX/status").body()).isEqualTo("application GET /api/uploadsX/status");
        assertThat(get("/api").body()).isEqualTo("application GET /api");
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(jetty.url("/other"))
                        .POST(HttpRequest.BodyPublishers.ofString("payload"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("application POST /other");
    }

    @Test
    void filterWhenPrefixItselfIsRequestedThenTheProtocolAnswers() throws Exception {
        HttpResponse<String> root = get("/api/uploads");
        assertThat(root.statusCode()).isEqualTo(405);
        assertThat(root.body()).contains("METHOD_NOT_ALLOWED");
    }

    @Test
    void corsWhenPreflightAndActualRequestsGoThroughTheContainerThenHeadersArrive() throws Exception {
        HttpResponse<String> preflight = client.send(
                HttpRequest.newBuilder(jetty.url("/api/uploads/"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://app.example")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("https://app.example");
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(jetty.url("/api/uploads"))
                        .header("Origin", "https://app.example")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"fileSize\": 3}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValueSatisfying(v -> assertThat(v).contains("Location"));
    }
}
