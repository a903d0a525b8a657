/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A client's request body that another thread can end: the one mechanism behind ending stalled requests (a client
 * resuming beside its own half-open connection) and slow ones (below a minimum data rate). {@link #evict} makes the
 * reading thread's blocked read return at once if the read responds to interruption (servlet containers' reads do),
 * else the next read; the interrupt is only ever delivered while the reader is inside the client's stream and is
 * cleared before the read returns, so it never reaches storage code. It also counts the bytes read, for the rate
 * check, and lets a waiter learn when the write that reads it has finished.
 *
 * <p>Read by one thread; {@link #evict}, {@link #bytes()} and {@link #awaitFinished} may be called from any thread.
 */
public final class EvictableSource {

    private final InputStream source;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile long bytes;
    private volatile long lastProgress = System.nanoTime();
    private volatile String evictedBecause;
    private volatile LongConsumer progress;
    private Thread reader;
    private boolean reading;
    private boolean interruptedByEviction;

    /**
     * Wraps a client's stream.
     *
     * @param source the stream, not closed by this class
     */
    public EvictableSource(InputStream source) {
        this.source = source;
    }

    /**
     * Reads from the client's stream; ends a read that blocks once evicted (the read then fails).
     *
     * @param buffer the buffer
     * @param offset where to put the bytes
     * @param length the most bytes to read
     * @return the byte count, or -1 at the end of the stream
     * @throws IOException if the stream failed, or the read was cut off by an eviction
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        synchronized (this) {
            if (evictedBecause != null) {
                // an evicted body ends at its next read even while bytes keep arriving (a slow, not a stalled,
                // client): the interrupt below only ends a read that blocks
                throw new InterruptedIOException("the request body was ended: " + evictedBecause);
            }
            reading = true;
            reader = Thread.currentThread();
        }
        try {
            int n = source.read(buffer, offset, length);
            if (n > 0) {
                long total = bytes + n;
                bytes = total;
                lastProgress = System.nanoTime();
                LongConsumer listener = progress;
                if (listener != null) {
                    listener.accept(total);
                }
            }
            return n;
        } finally {
            synchronized (this) {
                reading = false;
                if (interruptedByEviction) {
                    Thread.interrupted();
                    interruptedByEviction = false;
                }
            }
        }
    }

    /**
     * Sets what is told the running byte count after every read that brought bytes (for progress events); it runs
     * on the reading thread and must be quick.
     *
     * @param listener gets the bytes read so far, not null
     */
    public void onProgress(LongConsumer listener) {
        this.progress = listener;
    }

    /**
     * Ends the body as if the client had stopped sending: at once if the reading thread is blocked in a read that
     * responds to interruption, else at its next read. Idempotent; the first reason is kept.
     *
     * @param reason why, for the error or log, not null
     */
    public synchronized void evict(String reason) {
        if (evictedBecause == null) {
            evictedBecause = reason;
        }
        if (reading && reader != null && !interruptedByEviction) {
            interruptedByEviction = true;
            reader.interrupt();
        }
    }

    /**
     * Tells whether {@link #evict} was called.
     *
     * @return whether the body was evicted
     */
    public boolean isEvicted() {
        return evictedBecause != null;
    }

    /**
     * Returns why the body was evicted.
     *
     * @return the reason, or {@code "not evicted"}
     */
    public String evictionReason() {
        String reason = evictedBecause;
        return reason == null ? "not evicted" : reason;
    }

    /**
     * Returns the bytes read from the client so far.
     *
     * @return the count
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Tells how long no byte has arrived: since the last read that brought bytes, or since this body was created.
     *
     * @return the idle time
     */
    public Duration idle() {
        return Duration.ofNanos(System.nanoTime() - lastProgress);
    }

    /** Marks the write that reads this body as finished (recorded or failed). */
    public void markFinished() {
        finished.countDown();
    }

    /**
     * Waits until the write that reads this body has finished.
     *
     * @param timeout the longest wait
     * @return {@code true} if it finished in time
     */
    public boolean awaitFinished(Duration timeout) {
        try {
            return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
