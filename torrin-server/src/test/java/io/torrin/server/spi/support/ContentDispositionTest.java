/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Any stored name, also one no validation would let in today, gives a header value that cannot break out. */
class ContentDispositionTest {

    @Test
    void ofWhenNameCarriesPathsControlsAndBidiThenOnlyTheCleanBaseNameRemains() {
        String hostile = "../..\\etc/evil\r\nSet-Cookie: a=b\"; \u202Egnp.exe\u0000";

        String value = ContentDisposition.of(false, hostile);

        assertThat(value).matches("[\\x20-\\x7E]+");
        assertThat(value).startsWith("attachment; filename=\"evilSet-Cookie: a=b_; gnp.exe\"; filename*=UTF-8''");
        String encoded = value.substring(value.indexOf("''") + 2);
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo("evilSet-Cookie: a=b\"; gnp.exe");
    }

    @Test
    void ofWhenNothingUsableRemainsThenTheTypeAlone() {
        assertThat(ContentDisposition.of(true, "")).isEqualTo("inline");
        assertThat(ContentDisposition.of(false, "dir/..")).isEqualTo("attachment");
        assertThat(ContentDisposition.of(false, "a/\r\n")).isEqualTo("attachment");
    }

    @Test
    void safeNameWhenLongOrSupplementaryThenKeepsTheEndAndWholeCodePoints() {
        String emoji = "\uD83D\uDCC4"; // U+1F4C4, a supplementary code point: kept whole
        assertThat(ContentDisposition.safeName(emoji + ".txt")).isEqualTo(emoji + ".txt");
        assertThat(ContentDisposition.safeName("x\uD800y")).isEqualTo("xy"); // an unpaired surrogate goes
        String longName = "a".repeat(300) + ".tar.gz";
        String safe = ContentDisposition.safeName(longName);
        assertThat(safe).hasSize(200).endsWith(".tar.gz");
        assertThat(ContentDisposition.of(false, emoji)).endsWith("filename*=UTF-8''%F0%9F%93%84");
    }
}
