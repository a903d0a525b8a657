/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectApiDemoTest {

    @TempDir
    Path directory;

    @Test
    void runWhenUploadingAGeneratedFileThenStoredFileHasTheSourceSha256() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path stored = DirectApiDemo.run(
                directory, 9 * 1024 * 1024 + 77, new PrintStream(output, true, StandardCharsets.UTF_8));
        String printed = output.toString(StandardCharsets.UTF_8);
        Matcher generated = Pattern.compile("SHA-256 ([0-9a-f]{64})").matcher(printed);
        assertThat(generated.find()).as(printed).isTrue();
        String storedSha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(stored)));
        assertThat(storedSha256).isEqualTo(generated.group(1));
        assertThat(stored.startsWith(directory.toAbsolutePath())).isTrue();
        assertThat(printed).contains("100%", "Completed in", "verified by SHA-256");
    }
}
