/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of an append as a storage driver reads it: at most {@code limit} bytes, optionally digested, and ending
 * normally when the client's stream fails or the append is evicted, so that a driver stores what arrived. The
 * service then asks how the body ended. Read by one thread; its {@link #source()} may be evicted from any thread.
 */
public final class AppendBody extends InputStream {

    private final EvictableSource source;
    private final long limit;
    private final Map<String, MessageDigest> digests = new LinkedHashMap<>();
    private long count;
    private boolean overLimit;
    private boolean ended;
    private IOException failure;
    private boolean cutByEviction;

    /**
     * Wraps a client's body.
     *
     * @param source the client's stream, not closed by this class
     * @param limit the most bytes the upload may still take
     * @param digestAlgorithms the {@link MessageDigest} algorithms to digest the bytes with, possibly none
     * @throws IllegalArgumentException if an algorithm is unknown
     */
    public AppendBody(InputStream source, long limit, List<String> digestAlgorithms) {
        this.source = new EvictableSource(source);
        this.limit = limit;
        for (String algorithm : digestAlgorithms) {
            try {
                digests.put(algorithm, MessageDigest.getInstance(algorithm));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (source.isEvicted()) {
            cutByEviction = true;
            return -1;
        }
        long left = limit - count;
        if (left <= 0) {
            probeOverLimit();
            return -1;
        }
        int n = readSource(buffer, offset, (int) Math.min(length, left), true);
        if (n < 0) {
            return -1;
        }
        count += n;
        for (MessageDigest digest : digests.values()) {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    /**
     * Reads from the client's stream so that an eviction can interrupt the read: the interrupt is delivered
     * only while the reading thread is inside this method, and cleared before it leaves. A failure or the end of
     * the stream ends the body.
     *
     * @param untilEvicted {@code true} to end at once if evicted; {@code false} to read anyway (to see whether a
     *     fully read body ended), interrupting this very read if evicted, so that only a read that would block is
     *     cut off
     * @return the byte count, or -1 at the end
     */
    private int readSource(byte[] buffer, int offset, int length, boolean untilEvicted) {
        if (untilEvicted && source.isEvicted()) {
            cutByEviction = true;
            return -1;
        }
        try {
            int n = source.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
            }
            return n;
        } catch (IOException e) {
            failure = e;
            ended = true;
            cutByEviction = source.isEvicted();
            return -1;
        }
    }

    private void probeOverLimit() {
        int n = readSource(new byte[1], 0, 1, false);
        overLimit = n > 0;
        ended = true;
    }

    /**
     * Reads one byte past what the driver read, if the body has not ended yet, so that bytes beyond the limit are
     * noticed even when a driver stopped reading once the upload was full.
     *
     * @return {@code true} if the body had more bytes than were read (beyond the limit, {@link #overLimit()} is
     *     then set as well)
     */
    public boolean probeEnd() {
        if (ended || cutByEviction) {
            return overLimit;
        }
        if (count >= limit) {
            probeOverLimit();
            return overLimit;
        }
        int n = readSource(new byte[1], 0, 1, false);
        if (n > 0) {
            count += n;
        }
        return n > 0;
    }

    /**
     * Returns the client's stream as the eviction mechanism sees it: evict it to end this body.
     *
     * @return the source
     */
    public EvictableSource source() {
        return source;
    }

    /**
     * Returns the bytes read so far.
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    /**
     * Tells whether the client sent more than the upload could take.
     *
     * @return {@code true} if a byte beyond the limit arrived
     */
    public boolean overLimit() {
        return overLimit;
    }

    /**
     * Tells whether the body did not end normally: the client's stream failed, or the append was evicted before the
     * stream ended (an eviction after the whole body was read changes nothing).
     *
     * @return {@code true} if the body broke off
     */
    public boolean brokeOff() {
        return failure != null || cutByEviction;
    }

    /**
     * Returns the digest of the bytes read with one of the algorithms. Call once per algorithm, after the body
     * ended.
     *
     * @param algorithm one of the algorithms given
     * @return the digest, or empty if the body was not digested with that algorithm
     */
    public Optional<byte[]> digest(String algorithm) {
        MessageDigest digest = digests.get(algorithm);
        return digest == null ? Optional.empty() : Optional.of(digest.digest());
    }
}
