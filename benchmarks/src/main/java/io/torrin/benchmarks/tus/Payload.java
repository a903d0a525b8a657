/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes every benchmark upload sends: an endless, deterministic stream built from one random block of
 * {@value #BLOCK_SIZE} bytes held off-heap. The block is repeated with a rotation that changes from one repetition to
 * the next, so no two consecutive block-sized windows of a file are equal, yet nothing larger than the block is ever
 * held in memory.
 *
 * <p>Byte {@code p} of the stream is {@code block[(p % B + rotation(p / B)) % B]} with {@code B} the block size.
 */
public final class Payload {

    /** The size of the random block, 8 MiB. */
    public static final int BLOCK_SIZE = 8 * 1024 * 1024;

    /** The rotation added per repetition: a prime, so the rotations of the first {@code B} repetitions differ. */
    private static final long ROTATION_STEP = 1_000_003;

    private final ByteBuffer block;
    private final Map<Long, byte[]> digests = new ConcurrentHashMap<>();

    /**
     * Generates the block.
     *
     * @param seed the random seed; the same seed gives the same stream
     */
    public Payload(long seed) {
        byte[] bytes = new byte[BLOCK_SIZE];
        new SplittableRandom(seed).nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(BLOCK_SIZE);
        direct.put(bytes).flip();
        this.block = direct.asReadOnlyBuffer();
    }

    /**
     * Returns bytes {@code [position, position + length)} of the stream as read-only views of the block (no copy).
     *
     * @param position the first byte
     * @param length the number of bytes
     * @return one or more buffers whose remaining bytes, in order, are the requested range
     */
    public ByteBuffer[] slices(long position, int length) {
        List<ByteBuffer> slices = new ArrayList<>(2 + length / BLOCK_SIZE);
        long at = position;
        int left = length;
        while (left > 0) {
            int within = (int) (at % BLOCK_SIZE);
            int index = (int) ((within + (at / BLOCK_SIZE) * ROTATION_STEP) % BLOCK_SIZE);
            int n = Math.min(left, Math.min(BLOCK_SIZE - within, BLOCK_SIZE - index));
            slices.add(block.duplicate().limit(index + n).position(index));
            at += n;
            left -= n;
        }
        return slices.toArray(ByteBuffer[]::new);
    }

    /**
     * Returns the SHA-256 of the first {@code size} bytes of the stream (computed once per size).
     *
     * @param size the length of the upload
     * @return the digest
     */
    public byte[] sha256(long size) {
        return digests.computeIfAbsent(size, s -> {
            MessageDigest digest = newDigest();
            for (long at = 0; at < s; at += BLOCK_SIZE) {
                for (ByteBuffer slice : slices(at, (int) Math.min(BLOCK_SIZE, s - at))) {
                    digest.update(slice);
                }
            }
            return digest.digest();
        });
    }

    /**
     * Returns the SHA-256 of a file's content.
     *
     * @param file the file
     * @return the digest
     * @throws IOException if the file cannot be read
     */
    public static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
        }
        return digest.digest();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
