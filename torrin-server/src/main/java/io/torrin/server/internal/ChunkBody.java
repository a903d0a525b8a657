/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The view of a chunk's source stream that storage drivers read: it yields at most the expected number of
 * bytes, counts what it really got, hashes while streaming when asked to, and remembers whether the source
 * failed. Not thread-safe: one chunk write reads it.
 */
public final class ChunkBody extends InputStream {

    private final EvictableSource source;
    private final long expected;
    private final MessageDigest digest;
    private long count;
    private boolean endedEarly;
    private IOException sourceFailure;

    /**
     * Wraps a source.
     *
     * @param source the client's bytes, not null; never closed here
     * @param expected the chunk's exact expected length
     * @param hash whether to compute a SHA-256 while streaming
     */
    public ChunkBody(InputStream source, long expected, boolean hash) {
        this.source = new EvictableSource(source);
        this.expected = expected;
        this.digest = hash ? sha256() : null;
    }

    /**
     * Returns a new SHA-256 digest.
     *
     * @return the digest
     */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        long left = expected - count;
        if (left <= 0) {
            return -1;
        }
        int n;
        try {
            n = readSource(buffer, offset, (int) Math.min(length, left));
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n < 0) {
            endedEarly = true;
        } else if (n > 0) {
            count += n;
            if (digest != null) {
                digest.update(buffer, offset, n);
            }
        }
        return n;
    }

    /**
     * Reads and discards what is left of the expected bytes (for an idempotent re-send).
     *
     * @throws IOException if the source failed
     */
    public void drain() throws IOException {
        byte[] buffer = new byte[16 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // discard
        }
    }

    /**
     * Reads past the expected bytes to find out whether the source holds more than it should.
     *
     * @param limit the most extra bytes to read
     * @return how many extra bytes were found, at most {@code limit}; 0 if the source ended where it should
     * @throws IOException if the source failed
     */
    public long probeExtra(long limit) throws IOException {
        byte[] buffer = new byte[8 * 1024];
        long extra = 0;
        try {
            int n;
            while (extra < limit && (n = readSource(buffer, 0, (int) Math.min(buffer.length, limit - extra))) >= 0) {
                extra += n;
            }
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        return extra;
    }

    /**
     * Returns the client's stream as the eviction mechanism sees it: evicting it makes the chunk fail as broken off,
     * so nothing is recorded and a re-send can take over.
     *
     * @return the source
     */
    public EvictableSource source() {
        return source;
    }

    private int readSource(byte[] buffer, int offset, int length) throws IOException {
        if (source.isEvicted()) {
            throw new InterruptedIOException("the request was ended: " + source.evictionReason());
        }
        try {
            return source.read(buffer, offset, length);
        } catch (IOException e) {
            if (source.isEvicted()) {
                throw new InterruptedIOException("the request was ended: " + source.evictionReason());
            }
            throw e;
        }
    }

    /**
     * Returns how many bytes were read from the source (up to the expected length).
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    /**
     * Tells whether the source ended before the expected length.
     *
     * @return {@code true} if a read found the end of the source early
     */
    public boolean endedEarly() {
        return endedEarly;
    }

    /**
     * Returns the failure of the source, if it failed.
     *
     * @return the failure, or null
     */
    public IOException sourceFailure() {
        return sourceFailure;
    }

    /**
     * Returns the lowercase hex SHA-256 of the bytes read; call once, after reading.
     *
     * @return the hex digest
     * @throws IllegalStateException if hashing was not asked for
     */
    public String sha256Hex() {
        if (digest == null) {
            throw new IllegalStateException("not hashing");
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
