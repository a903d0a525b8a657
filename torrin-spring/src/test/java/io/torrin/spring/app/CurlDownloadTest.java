/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.DownloadConformanceSupport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Downloads with the real {@code curl} binary from the starter on Tomcat (sendfile): the whole file, a range
 * ({@code -r}) and the resume of a partially downloaded file ({@code -C -}), each compared by SHA-256 with what was
 * uploaded. Skipped, with a message, only where curl is not installed ({@code .ci/run} installs it).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CurlDownloadTest extends DownloadConformanceSupport {

    @LocalServerPort
    int port;

    @TempDir
    Path directory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path storage = Files.createTempDirectory("torrin-spring-curl");
        registry.add("torrin.storage.local.directory", storage::toString);
        registry.add("torrin.downloads.enabled", () -> "true");
    }

    @BeforeAll
    static void requireCurl() throws Exception {
        boolean present;
        try {
            present = new ProcessBuilder("curl", "--version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            present = false;
        }
        assumeTrue(present, "curl is not installed (apt-get install curl); the curl download tests are skipped");
    }

    @Override
    protected URI mountUrl() {
        return URI.create("http://127.0.0.1:" + port + "/torrin/uploads");
    }

    /** Runs curl with the arguments, silent but showing errors and failing on HTTP errors, and expects success. */
    private void curl(String... arguments) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("curl", "--silent", "--show-error", "--fail", "--max-time", "60"));
        command.addAll(List.of(arguments));
        Path errors = directory.resolve("curl-errors.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile())
                .start();
        try {
            boolean ended = process.waitFor(90, TimeUnit.SECONDS);
            assertThat(ended).as("curl ended").isTrue();
            assertThat(process.exitValue())
                    .as("curl %s: %s", command, Files.readString(errors, StandardCharsets.UTF_8))
                    .isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    @DisplayName("curl -o downloads the whole file")
    void whole() throws Exception {
        Uploaded upload = upload("curl.bin", "application/octet-stream", TestFiles.randomBytes(700_001));
        Path target = directory.resolve("whole.bin");
        curl("-o", target.toString(), upload.url().toString());
        assertThat(TestFiles.sha256(Files.readAllBytes(target))).isEqualTo(TestFiles.sha256(upload.data()));
    }

    @Test
    @DisplayName("curl -r downloads exactly the range, also an open and a suffix range")
    void ranged() throws Exception {
        byte[] data = TestFiles.randomBytes(400_000);
        Uploaded upload = upload("curl-range.bin", "application/octet-stream", data);
        int[][] ranges = {{1000, 299_999}, {data.length - 1, data.length - 1}};
        for (int[] range : ranges) {
            Path target = directory.resolve("part-" + range[0] + ".bin");
            curl(
                    "-r",
                    range[0] + "-" + range[1],
                    "-o",
                    target.toString(),
                    upload.url().toString());
            assertThat(TestFiles.sha256(Files.readAllBytes(target)))
                    .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, range[0], range[1] + 1)));
        }
        Path open = directory.resolve("open.bin");
        curl("-r", "123456-", "-o", open.toString(), upload.url().toString());
        assertThat(TestFiles.sha256(Files.readAllBytes(open)))
                .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, 123456, data.length)));
        Path suffix = directory.resolve("suffix.bin");
        curl("-r", "-5000", "-o", suffix.toString(), upload.url().toString());
        assertThat(TestFiles.sha256(Files.readAllBytes(suffix)))
                .isEqualTo(TestFiles.sha256(Arrays.copyOfRange(data, data.length - 5000, data.length)));
    }

    @Test
    @DisplayName("curl -C - resumes a partially downloaded file to the exact whole file")
    void resume() throws Exception {
        byte[] data = TestFiles.randomBytes(600_000);
        Uploaded upload = upload("curl-resume.bin", "application/octet-stream", data);
        Path target = directory.resolve("resumed.bin");
        Files.write(target, Arrays.copyOf(data, 250_001));
        curl("-C", "-", "-o", target.toString(), upload.url().toString());
        assertThat(Files.size(target)).isEqualTo(data.length);
        assertThat(TestFiles.sha256(Files.readAllBytes(target))).isEqualTo(TestFiles.sha256(data));
    }
}
