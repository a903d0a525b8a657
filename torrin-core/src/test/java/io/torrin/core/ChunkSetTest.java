/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSetTest {

    @Test
    void withWhenIndicesAddedThenContainsCountsAndListsThem() {
        ChunkSet set = ChunkSet.empty(130).with(0).with(64).with(129).with(64);
        assertThat(set.count()).isEqualTo(3);
        assertThat(set.contains(64)).isTrue();
        assertThat(set.contains(63)).isFalse();
        assertThat(set.contains(-1)).isFalse();
        assertThat(set.contains(130)).isFalse();
        assertThat(set.received()).containsExactly(0, 64, 129);
        assertThat(set.missing()).hasSize(127).doesNotContain(0, 64, 129);
        assertThat(set.isComplete()).isFalse();
    }

    @Test
    void withWhenAlreadyContainedThenSameInstance() {
        ChunkSet set = ChunkSet.of(5, 2);
        assertThat(set.with(2)).isSameAs(set);
    }

    @Test
    void isCompleteWhenEveryIndexPresentThenTrue() {
        ChunkSet set = ChunkSet.empty(3);
        for (int i = 0; i < 3; i++) {
            set = set.with(i);
        }
        assertThat(set.isComplete()).isTrue();
        assertThat(set.missing()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 63, 64, 65, 1000, 100_003})
    void toByteArrayWhenRoundTrippedThenEqualAndMatchesBitSetLayout(int total) {
        Random random = new Random(total);
        ChunkSet set = ChunkSet.empty(total);
        BitSet reference = new BitSet(total);
        for (int i = 0; i < Math.min(total, 500); i++) {
            int index = random.nextInt(total);
            set = set.with(index);
            reference.set(index);
        }
        byte[] bytes = set.toByteArray();
        assertThat(bytes).hasSize((total + 7) / 8);
        assertThat(ChunkSet.fromByteArray(total, bytes)).isEqualTo(set).hasSameHashCodeAs(set);
        assertThat(BitSet.valueOf(bytes)).isEqualTo(reference);
    }

    @Test
    void fromByteArrayWhenBitsBeyondTotalThenRejected() {
        assertThatThrownBy(() -> ChunkSet.fromByteArray(3, new byte[] {0b1000}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkSet.fromByteArray(8, new byte[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChunkSet.fromByteArray(8, new byte[] {(byte) 0xFF, 0}).isComplete())
                .isTrue();
    }

    @Test
    void ofWhenIndexOutOfRangeThenRejected() {
        assertThatThrownBy(() -> ChunkSet.of(3, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkSet.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkSet.of(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkSet.empty(3).with(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyUploadHasNoChunksAndIsComplete() {
        ChunkSet none = ChunkSet.empty(0);
        assertThat(none.total()).isZero();
        assertThat(none.isComplete()).isTrue();
        assertThat(none.missing()).isEmpty();
        assertThat(ChunkSet.fromByteArray(0, new byte[0])).isEqualTo(none);
    }
}
