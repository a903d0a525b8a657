/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable set of chunk indices {@code 0 ≤ i < total}, stored as a bitmap (one bit per chunk).
 *
 * <p>It is how received chunks are reported and how stores persist them: {@link #toByteArray()} gives a
 * compact, portable form (bit {@code i} is bit {@code i % 8} of byte {@code i / 8}), read back with
 * {@link #fromByteArray(int, byte[])}. Instances are thread-safe.
 */
public final class ChunkSet {

    private final int total;
    private final long[] words;
    private final int count;

    private ChunkSet(int total, long[] words) {
        this.total = total;
        this.words = words;
        int c = 0;
        for (long word : words) {
            c += Long.bitCount(word);
        }
        this.count = c;
    }

    /**
     * Returns the empty set for an upload of {@code total} chunks.
     *
     * @param total the number of chunks, at least 0 (a zero-length or not yet sized upload)
     * @return an empty set
     * @throws IllegalArgumentException if {@code total < 0}
     */
    public static ChunkSet empty(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        return new ChunkSet(total, new long[wordCount(total)]);
    }

    /**
     * Returns a set holding the given indices.
     *
     * @param total the number of chunks, at least 0 (a zero-length or not yet sized upload)
     * @param indices indices, each {@code 0 ≤ i < total}
     * @return the set
     * @throws IllegalArgumentException if {@code total < 0} or an index is out of range
     */
    public static ChunkSet of(int total, int... indices) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        long[] words = new long[wordCount(total)];
        for (int index : indices) {
            checkIndex(index, total);
            words[index >>> 6] |= 1L << index;
        }
        return new ChunkSet(total, words);
    }

    /**
     * Reads a set from the form written by {@link #toByteArray()}.
     *
     * @param total the number of chunks, at least 0 (a zero-length or not yet sized upload)
     * @param bytes the bitmap bytes; shorter arrays mean the missing bytes are zero
     * @return the set
     * @throws IllegalArgumentException if a bit at or above {@code total} is set, or {@code total < 0}
     */
    public static ChunkSet fromByteArray(int total, byte[] bytes) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        long[] words = new long[wordCount(total)];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                continue;
            }
            if ((long) i * 8 >= total || (i * 8L + 8 > total && (b >>> (total - i * 8)) != 0)) {
                throw new IllegalArgumentException("bitmap has bits at or above total " + total);
            }
            words[i >>> 3] |= ((long) b) << ((i & 7) * 8);
        }
        return new ChunkSet(total, words);
    }

    /**
     * Returns the number of chunks of the upload (the size of the index range, not of this set).
     *
     * @return at least 1
     */
    public int total() {
        return total;
    }

    /**
     * Returns how many indices this set holds.
     *
     * @return between 0 and {@link #total()}
     */
    public int count() {
        return count;
    }

    /**
     * Tells whether the set holds an index.
     *
     * @param index any int; out-of-range indices are simply not contained
     * @return whether {@code index} is in the set
     */
    public boolean contains(int index) {
        return index >= 0 && index < total && (words[index >>> 6] & (1L << index)) != 0;
    }

    /**
     * Tells whether every index {@code 0 ≤ i < total} is in the set.
     *
     * @return whether the set is full
     */
    public boolean isComplete() {
        return count == total;
    }

    /**
     * Returns this set with one more index.
     *
     * @param index an index {@code 0 ≤ index < total}
     * @return a set containing {@code index}; {@code this} if it already did
     * @throws IllegalArgumentException if the index is out of range
     */
    public ChunkSet with(int index) {
        checkIndex(index, total);
        if (contains(index)) {
            return this;
        }
        long[] copy = words.clone();
        copy[index >>> 6] |= 1L << index;
        return new ChunkSet(total, copy);
    }

    /**
     * Returns the indices in the set, ascending, as an unmodifiable list backed by a snapshot.
     *
     * @return the contained indices
     */
    public List<Integer> received() {
        return indices(true);
    }

    /**
     * Returns the indices not in the set, ascending, as an unmodifiable list backed by a snapshot.
     *
     * @return the missing indices
     */
    public List<Integer> missing() {
        return indices(false);
    }

    /**
     * Returns the bitmap form: bit {@code i} is bit {@code i % 8} of byte {@code i / 8}; the array has
     * {@code ceil(total / 8)} bytes.
     *
     * @return a new array
     */
    public byte[] toByteArray() {
        byte[] bytes = new byte[(total + 7) / 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (words[i >>> 3] >>> ((i & 7) * 8));
        }
        return bytes;
    }

    private List<Integer> indices(boolean present) {
        int size = present ? count : total - count;
        int[] result = new int[size];
        int n = 0;
        for (int i = 0; i < total && n < size; i++) {
            if (contains(i) == present) {
                result[n++] = i;
            }
        }
        return new IntList(result);
    }

    private static int wordCount(int total) {
        return (total + 63) >>> 6;
    }

    private static void checkIndex(int index, int total) {
        if (index < 0 || index >= total) {
            throw new IllegalArgumentException("index " + index + " out of range [0, " + total + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ChunkSet other && total == other.total && Arrays.equals(words, other.words));
    }

    @Override
    public int hashCode() {
        return 31 * total + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "ChunkSet[" + count + "/" + total + "]";
    }

    private static final class IntList extends AbstractList<Integer> implements RandomAccess {
        private final int[] values;

        IntList(int[] values) {
            this.values = values;
        }

        @Override
        public Integer get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
