/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that ends after a number of bytes of another, for drivers serving a byte range of a file; closing it
 * closes the other. Not thread-safe.
 */
public final class RangeInputStream extends FilterInputStream {
    private long remaining;

    private RangeInputStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    /**
     * Limits a stream.
     *
     * @param in the stream, not null; owned by the result from now on
     * @param length how many bytes to pass on at most, at least 0
     * @return the limited stream
     * @throws IllegalArgumentException if the length is negative
     */
    public static InputStream of(InputStream in, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative");
        }
        return new RangeInputStream(in, length);
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
