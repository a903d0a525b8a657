/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.DownloadConformanceKit;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The download conformance kit against the starter in a real Spring Boot app on Tomcat with local storage
 * ({@code torrin.downloads.enabled=true}), through the Torrin route and tus; plus proof that Tomcat's sendfile
 * carries the bytes: a filter in front of Torrin's reads, after the adapter returned, the file region the adapter
 * handed to Tomcat ({@code org.apache.tomcat.sendfile.*}), and the body that arrives is that region byte for byte
 * (the adapter writes nothing itself on this path, so only Tomcat can have sent it).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SpringBootDownloadConformanceTest.Probe.class)
class SpringBootDownloadConformanceTest extends DownloadConformanceKit {

    private static final String SENDFILE = "org.apache.tomcat.sendfile.";

    @LocalServerPort
    int port;

    @Autowired
    UploadService service;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path directory = Files.createTempDirectory("torrin-spring-downloads");
        registry.add("torrin.storage.local.directory", directory::toString);
        registry.add("torrin.downloads.enabled", () -> "true");
        registry.add("torrin.tus.path", () -> "/api/tus");
    }

    /** Records the sendfile attributes of requests that carry an {@code X-Probe} header, by its value. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Probe {
        static final Map<String, List<Object>> SEEN = new ConcurrentHashMap<>();

        @Bean
        FilterRegistrationBean<Filter> sendfileProbe() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                chain.doFilter(request, response);
                String probe = ((HttpServletRequest) request).getHeader("X-Probe");
                if (probe != null) {
                    SEEN.put(
                            probe,
                            Arrays.asList(
                                    request.getAttribute(SENDFILE + "support"),
                                    request.getAttribute(SENDFILE + "filename"),
                                    request.getAttribute(SENDFILE + "start"),
                                    request.getAttribute(SENDFILE + "end")));
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.addUrlPatterns("/*");
            return registration;
        }
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
    }

    @Override
    protected Optional<URI> tusUrl() {
        return Optional.of(URI.create("http://127.0.0.1:" + port + "/api/tus"));
    }

    /** The body of a probed download and the sendfile attributes it left: support, filename, start, end. */
    private record Probed(byte[] body, List<Object> sendfile) {}

    private Probed probed(URI url, String... headers) throws Exception {
        String probe = UUID.randomUUID().toString();
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "X-Probe";
        all[headers.length + 1] = probe;
        HttpResponse<byte[]> answer = fetch("GET", url, all);
        assertThat(answer.statusCode()).isBetween(200, 206);
        List<Object> seen = Probe.SEEN.get(probe);
        assertThat(seen).as("the probe saw the request").isNotNull();
        return new Probed(answer.body(), seen);
    }

    @Test
    @DisplayName("Tomcat sends whole files and ranges with sendfile: the adapter hands it the stored file's region,"
            + " and exactly that region's bytes arrive")
    void tomcatWhenDownloadingThenSendfileCarriesTheBytes() throws Exception {
        byte[] data = TestFiles.randomBytes(300_000);
        Uploaded upload = upload("sendfile.bin", "application/octet-stream", data);
        Path stored = service.downloads()
                .open(upload.id(), RequestContext.none())
                .localFile()
                .orElseThrow();
        assertThat(TestFiles.sha256(Files.readAllBytes(stored))).isEqualTo(TestFiles.sha256(data));

        Probed whole = probed(upload.url());
        assertThat(TestFiles.sha256(whole.body())).isEqualTo(TestFiles.sha256(data));
        assertThat(whole.sendfile()).containsExactly(true, stored.toString(), 0L, (long) data.length);

        Probed part = probed(upload.url(), "Range", "bytes=65535-200000");
        assertThat(TestFiles.sha256(part.body())).isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, 65535, 200001)));
        assertThat(part.sendfile()).containsExactly(true, stored.toString(), 65535L, 200001L);

        Probed viaTus = probed(URI.create(tusUrl().orElseThrow() + "/" + upload.id()), "Range", "bytes=-1");
        assertThat(TestFiles.sha256(viaTus.body()))
                .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, data.length - 1, data.length)));
        assertThat(viaTus.sendfile())
                .containsExactly(true, stored.toString(), (long) data.length - 1, (long) data.length);
    }
}
