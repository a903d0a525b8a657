/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Random test data and SHA-256 helpers shared by the kits. */
public final class TestFiles {

    private static final SplittableRandom SEEDS = new SplittableRandom();

    private TestFiles() {}

    /**
     * Returns random bytes from a fresh random seed.
     *
     * @param size how many bytes
     * @return the bytes
     */
    public static byte[] randomBytes(int size) {
        return randomBytes(size, SEEDS.nextLong());
    }

    /**
     * Returns pseudo-random bytes from a seed; the same seed gives the same bytes.
     *
     * @param size how many bytes
     * @param seed the seed
     * @return the bytes
     */
    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return bytes;
    }

    /**
     * Returns a stream of deterministic pseudo-random bytes: byte {@code p} of the infinite sequence for a seed
     * depends only on the seed and {@code p}, so any range can be produced on its own without holding the file in
     * memory.
     *
     * @param seed the seed
     * @param offset the position of the first byte
     * @param length how many bytes
     * @return the stream
     */
    public static InputStream seededStream(long seed, long offset, long length) {
        return new InputStream() {
            private long position = offset;
            private final long end = offset + length;

            @Override
            public int read() {
                if (position >= end) {
                    return -1;
                }
                return byteAt(seed, position++) & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int off, int len) {
                if (position >= end) {
                    return -1;
                }
                int n = (int) Math.min(len, end - position);
                for (int i = 0; i < n; i++) {
                    long p = position + i;
                    if ((p & 7) == 0 && i + 8 <= n) {
                        long word = mix(seed, p >>> 3);
                        for (int j = 0; j < 8; j++) {
                            buffer[off + i + j] = (byte) (word >>> (8 * j));
                        }
                        i += 7;
                    } else {
                        buffer[off + i] = byteAt(seed, p);
                    }
                }
                position += n;
                return n;
            }
        };
    }

    /**
     * Returns the SHA-256 of {@code seededStream(seed, 0, length)}.
     *
     * @param seed the seed
     * @param length the length
     * @return the lowercase hex digest
     */
    public static String seededSha256(long seed, long length) {
        try {
            return sha256(seededStream(seed, 0, length));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte byteAt(long seed, long position) {
        return (byte) (mix(seed, position >>> 3) >>> (8 * (position & 7)));
    }

    private static long mix(long seed, long word) {
        long z = seed + (word + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns the lowercase hex SHA-256 of bytes.
     *
     * @param bytes the bytes
     * @return the hex digest
     */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /**
     * Returns the lowercase hex SHA-256 of a stream's bytes and closes the stream.
     *
     * @param in the stream
     * @return the hex digest
     * @throws IOException if reading fails
     */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = digest();
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Returns one chunk of a file.
     *
     * @param file the whole file
     * @param chunkSize the chunk size
     * @param index the chunk index
     * @return a copy of the chunk's bytes
     */
    public static byte[] chunk(byte[] file, long chunkSize, int index) {
        int from = Math.toIntExact(index * chunkSize);
        return Arrays.copyOfRange(file, from, (int) Math.min(file.length, from + chunkSize));
    }

    /**
     * Returns a stream of one chunk of a file.
     *
     * @param file the whole file
     * @param chunkSize the chunk size
     * @param index the chunk index
     * @return a stream of the chunk's bytes
     */
    public static InputStream chunkStream(byte[] file, long chunkSize, int index) {
        return new ByteArrayInputStream(chunk(file, chunkSize, index));
    }

    /**
     * Returns a stream that yields some bytes and then fails, like a client connection that breaks off.
     *
     * @param bytes what to yield before failing
     * @return the stream
     */
    public static InputStream failingAfter(byte[] bytes) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position >= bytes.length) {
                    throw new IOException("connection reset (simulated)");
                }
                return bytes[position++] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (position >= bytes.length) {
                    throw new IOException("connection reset (simulated)");
                }
                int n = Math.min(length, bytes.length - position);
                System.arraycopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
