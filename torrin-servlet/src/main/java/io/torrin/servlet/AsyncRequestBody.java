/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body read with the Servlet non-blocking API and handed to a protocol handler as a blocking stream whose
 * reads can always be interrupted. Containers differ in whether a thread blocked in {@link ServletInputStream#read}
 * responds to {@link Thread#interrupt()} (Jetty does, Tomcat does not); reading through this class, a stalled
 * upload on a half-open connection can be ended at once on every container.
 *
 * <p>The container calls {@link #onDataAvailable()} on its own threads; it reads bytes straight into a ring of
 * {@value #CAPACITY} bytes and waits while the ring is full (so memory per request is bounded). The handler thread
 * reads from the ring. The ring is borrowed from a small shared pool only while it holds bytes and handed back
 * whenever the handler has emptied it, so a stalled or slow upload holds no buffer here. {@link #abandon()} gives the body up once the request is answered: a waiting container
 * thread is released and further bytes are discarded.
 */
final class AsyncRequestBody extends InputStream implements ReadListener {

    static final int CAPACITY = 64 * 1024;
    static final int ANSWER_WAIT_SECONDS = 60;

    /** Rings not in use, kept for reuse; bounded so that a burst does not pin memory for good. */
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(64);

    private final Input input;
    private final Object starting = new Object();
    private volatile ServletInputStream source;
    private boolean started;
    private byte[] ring;
    private boolean filling;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head;
    private int size;
    private boolean ended;
    private boolean abandoned;
    private IOException failure;
    private volatile boolean containerEnded;
    private final CountDownLatch answered = new CountDownLatch(1);

    /** Where the body comes from: the request's input stream, asked for only when the handler first reads. */
    @FunctionalInterface
    interface Input {
        ServletInputStream open() throws IOException;
    }

    /**
     * Creates the body of a request in async mode; {@link #start()} registers it with the container.
     *
     * @param input the request's input stream, opened by {@link #start()}
     */
    AsyncRequestBody(Input input) {
        this.input = input;
    }

    /** Registers this body as the input stream's read listener, once (on the request's thread: containers need it). */
    void start() throws IOException {
        synchronized (starting) {
            if (started) {
                return;
            }
            started = true;
            ServletInputStream stream = input.open();
            source = stream;
            stream.setReadListener(this);
        }
    }

    /**
     * Moves what the container has into the ring, reading straight into its free part: the reader only ever
     * touches the filled part, and the count is published under the lock afterwards.
     */
    @Override
    public void onDataAvailable() throws IOException {
        while (source.isReady()) {
            byte[] buffer;
            int tail;
            int room;
            lock.lock();
            try {
                while (size == CAPACITY && !abandoned) {
                    changed.awaitUninterruptibly();
                }
                if (abandoned) {
                    return;
                }
                if (ring == null) {
                    byte[] pooled = POOL.poll();
                    ring = pooled != null ? pooled : new byte[CAPACITY];
                    head = 0;
                }
                filling = true;
                buffer = ring;
                tail = (head + size) % CAPACITY;
                room = Math.min(CAPACITY - size, CAPACITY - tail);
            } finally {
                lock.unlock();
            }
            int n = -1;
            try {
                n = source.read(buffer, tail, room);
            } finally {
                lock.lock();
                try {
                    // publish the bytes and end the fill in one step, so the ring cannot be handed back between
                    filling = false;
                    if (n > 0 && !abandoned) {
                        size += n;
                    }
                    releaseIfEmpty();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            if (n < 0) {
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands the failure (typically the client's connection breaking off) to the reader and waits until the handler
     * has answered and completed the request, at most {@value #ANSWER_WAIT_SECONDS} seconds: a container completes
     * a request itself once this method returns, and the handler must not touch a completed request.
     */
    @Override
    public void onError(Throwable t) {
        lock.lock();
        try {
            failure = t instanceof IOException io ? io : new IOException("the request body failed", t);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean inTime;
        try {
            inTime = answered.await(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inTime = false;
        }
        if (!inTime) {
            containerEnded = true;
        }
    }

    /**
     * Tells whether the container has ended the request on its own (the handler did not answer within
     * {@value #ANSWER_WAIT_SECONDS} seconds of a failure); the response must not be touched then.
     *
     * @return {@code true} if the request is no longer the handler's
     */
    boolean containerEnded() {
        return containerEnded;
    }

    /** Marks the request as answered and completed by the handler. */
    void answered() {
        answered.countDown();
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
        lock.lock();
        try {
            while (size == 0 && !ended && failure == null && !abandoned) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("reading the request body was interrupted");
                }
            }
            if (size == 0) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            int count = Math.min(length, Math.min(size, CAPACITY - head));
            System.arraycopy(ring, head, buffer, offset, count);
            head = (head + count) % CAPACITY;
            size -= count;
            releaseIfEmpty();
            changed.signalAll();
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Does nothing: handlers close request streams they are done with, while the container still has to take the
     * rest of the body off the connection (see {@link #abandon()}).
     */
    @Override
    public void close() {}

    /** Hands an empty ring back to the pool unless the container is reading into it; under the lock. */
    private void releaseIfEmpty() {
        if (size == 0 && !filling && ring != null) {
            POOL.offer(ring);
            ring = null;
        }
    }

    /** Abandons the body once the request is answered: releases a container thread waiting for room. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            size = 0;
            releaseIfEmpty();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
