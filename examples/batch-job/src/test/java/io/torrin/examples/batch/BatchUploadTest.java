/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchUploadTest {

    @TempDir
    Path source;

    @TempDir
    Path target;

    @Test
    void runWhenDirectoryHasFilesThenEachIsStoredWithItsBytesAndProgressIsPrinted() throws Exception {
        Map<String, byte[]> files = Map.of(
                "a.bin",
                TestFiles.randomBytes(3 * 1024 * 1024 + 17),
                "nested/b.txt",
                TestFiles.randomBytes(10),
                "nested/deeper/c d.bin",
                TestFiles.randomBytes(700_000));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.createDirectories(source.resolve(file.getKey()).getParent());
            Files.write(source.resolve(file.getKey()), file.getValue());
        }
        Files.write(source.resolve(".hidden"), new byte[] {1});
        Files.createFile(source.resolve("empty.txt"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        BatchUpload.Summary summary =
                BatchUpload.run(source, target, 3, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(summary.uploaded()).isEqualTo(3);
        assertThat(summary.failed()).isZero();
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("a.bin: 100%", "empty.txt: skipped (empty)", "3 uploaded, 0 failed");
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = Path.of(file.getKey()).getFileName().toString();
            try (Stream<Path> stored = Files.walk(target)) {
                Path match = stored.filter(p -> p.getFileName().toString().equals(name))
                        .findFirst()
                        .orElseThrow();
                assertThat(TestFiles.sha256(Files.readAllBytes(match))).isEqualTo(TestFiles.sha256(file.getValue()));
            }
        }
    }
}
