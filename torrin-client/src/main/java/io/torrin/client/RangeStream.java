/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte range of a file as a stream, read with positional reads (so that several ranges of one channel can be
 * read at once), counting what it hands out. Nothing beyond the caller's buffer is held.
 */
final class RangeStream extends InputStream {

    private final FileChannel channel;
    private final long end;
    private final AtomicLong counter;
    private long position;

    RangeStream(FileChannel channel, long offset, long length, AtomicLong counter) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
        this.counter = counter;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        int read = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, left)), position);
        if (read < 0) {
            throw new IOException("the file became shorter while it was uploaded");
        }
        position += read;
        counter.addAndGet(read);
        return read;
    }
}
