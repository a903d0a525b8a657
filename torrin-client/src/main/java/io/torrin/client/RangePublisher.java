/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte range of a file as a request body: read with positional reads in pieces of at most 256 KiB, one piece per
 * unit of demand, so that a chunk is never on the heap as a whole (at most what the HTTP client has asked for and
 * not yet written). Counts what it hands out.
 */
final class RangePublisher implements HttpRequest.BodyPublisher {

    private static final int PIECE = 256 * 1024;

    private final FileChannel channel;
    private final long offset;
    private final long length;
    private final AtomicLong counter;

    RangePublisher(FileChannel channel, long offset, long length, AtomicLong counter) {
        this.channel = channel;
        this.offset = offset;
        this.length = length;
        this.counter = counter;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Pieces(subscriber));
    }

    /** One subscription: a fresh read of the range (a retried request subscribes again). */
    private final class Pieces implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean draining = new AtomicBoolean();
        private long position = offset;
        private volatile boolean done;

        Pieces(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("demand must be positive: " + n));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            done = true;
        }

        /** Hands out pieces while there is demand; one thread at a time, re-entrant calls only add demand. */
        private void drain() {
            while (!done && draining.compareAndSet(false, true)) {
                try {
                    while (!done && demand.get() > 0) {
                        long end = offset + length;
                        if (position >= end) {
                            done = true;
                            subscriber.onComplete();
                            return;
                        }
                        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(PIECE, end - position));
                        while (piece.hasRemaining()) {
                            int read = channel.read(piece, position + piece.position());
                            if (read < 0) {
                                throw new IOException("the file became shorter while it was uploaded");
                            }
                        }
                        piece.flip();
                        position += piece.remaining();
                        counter.addAndGet(piece.remaining());
                        demand.decrementAndGet();
                        subscriber.onNext(piece);
                    }
                } catch (IOException | RuntimeException e) {
                    done = true;
                    subscriber.onError(e);
                    return;
                } finally {
                    draining.set(false);
                }
                if (demand.get() == 0 || done) {
                    return;
                }
            }
        }
    }
}
