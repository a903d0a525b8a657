/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UploadSessionTest {

    private static UploadSession session(long fileSize, long chunkSize, int total) {
        return session(OptionalLong.of(fileSize), chunkSize, total);
    }

    private static UploadSession session(OptionalLong fileSize, long chunkSize, int total) {
        Instant now = Instant.now();
        return new UploadSession(
                "abcdefghijklmnop",
                Optional.empty(),
                fileSize,
                "a/b",
                Map.of(),
                chunkSize,
                total,
                UploadState.PENDING,
                now,
                now);
    }

    @Test
    void expectedChunkSizeWhenLastChunkIsShortThenRemainder() {
        UploadSession s = session(10, 4, 3);
        assertThat(s.expectedChunkSize(0)).isEqualTo(4);
        assertThat(s.expectedChunkSize(2)).isEqualTo(2);
        assertThat(s.offsetOf(2)).isEqualTo(8);
        assertThatThrownBy(() -> s.expectedChunkSize(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void constructorWhenTotalDisagreesWithSizesThenRejected() {
        assertThatThrownBy(() -> session(10, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(session(8, 4, 2).totalChunks()).isEqualTo(2);
    }

    @Test
    void wireNameWhenRoundTrippedThenSameState() {
        for (UploadState state : UploadState.values()) {
            assertThat(UploadState.fromWireName(state.wireName())).isEqualTo(state);
        }
        assertThat(UploadState.IN_PROGRESS.wireName()).isEqualTo("in_progress");
    }

    @Test
    void generateWhenCalledThenWellFormed160BitBase32() {
        String id = UploadIds.generate();
        assertThat(id).matches("[a-z2-7]{32}");
        assertThat(UploadIds.isWellFormed(id)).isTrue();
        assertThat(UploadIds.isWellFormed("../../etc/passwd")).isFalse();
        assertThat(UploadIds.isWellFormed(null)).isFalse();
    }

    @Test
    void torrinExceptionWhenCreatedThenCarriesCodeStatusAndImmutableDetails() {
        TorrinException e = new TorrinException(ErrorCode.CHUNK_OUT_OF_RANGE, "bad", Map.of("index", 7));
        assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_OUT_OF_RANGE);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.details()).containsEntry("index", 7);
        assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new TorrinException(ErrorCode.FORBIDDEN, 200, "x", Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendUploadsMayBeEmptyOrUnsizedUntilDeclared() {
        UploadSession unsized = session(OptionalLong.empty(), 1024, 0);
        assertThat(unsized.fileSize()).isEmpty();
        assertThatThrownBy(unsized::knownFileSize).isInstanceOf(IllegalStateException.class);
        UploadSession declared = unsized.withFileSize(2049);
        assertThat(declared.fileSize()).hasValue(2049);
        assertThat(declared.knownFileSize()).isEqualTo(2049);
        assertThat(declared.totalChunks()).isEqualTo(3);
        assertThat(declared.expectedChunkSize(2)).isEqualTo(1);
        assertThat(session(0, 1024, 0).totalChunks()).isZero();
        assertThatThrownBy(() -> session(-2, 1024, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session(0, 1024, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> declared.withFileSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
