/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking body reader under a container that hands out bytes in random portions from its own thread while
 * the handler reads in random sizes: every byte arrives once and in order (compared by SHA-256), with the ring
 * borrowed and handed back many times; an interrupted read ends with {@link InterruptedIOException}.
 */
class AsyncRequestBodyTest {

    /** A container's input: random portions, "not ready" at random, like a network connection. */
    private static final class FakeInput extends ServletInputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        FakeInput(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public synchronized boolean isReady() {
            return position < data.length && random.nextInt(8) != 0;
        }

        @Override
        public boolean isFinished() {
            return position >= data.length;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            // the test plays the container: it calls the listener itself
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(20_000)), data.length - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    @Test
    void readWhenSeveralBodiesShareThePoolThenNoneSeesAnothersBytes() throws Exception {
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int worker = 0; worker < 6; worker++) {
            long base = 1000L * (worker + 1);
            Thread thread = new Thread(() -> {
                try {
                    for (long seed = base; seed < base + 8; seed++) {
                        transferAndCheck(seed);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
    }

    /** One body through a fake container on its own thread; fails unless the bytes arrive exactly. */
    private static void transferAndCheck(long seed) throws Exception {
        byte[] data = TestFiles.randomBytes(3 * AsyncRequestBody.CAPACITY + 12_345, seed);
        FakeInput input = new FakeInput(data, seed);
        AsyncRequestBody body = new AsyncRequestBody(() -> input);
        body.start();
        AtomicReference<Throwable> containerFailure = new AtomicReference<>();
        Thread container = new Thread(() -> {
            try {
                while (!input.isFinished()) {
                    body.onDataAvailable();
                    Thread.onSpinWait();
                }
                body.onAllDataRead();
            } catch (Throwable t) {
                containerFailure.set(t);
                body.onError(t);
            }
        });
        container.start();
        Random sizes = new Random(seed * 31);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[40_000];
        int n;
        while ((n = body.read(buffer, 0, 1 + sizes.nextInt(buffer.length))) >= 0) {
            received.write(buffer, 0, n);
        }
        container.join(10_000);
        assertThat(containerFailure.get()).isNull();
        assertThat(TestFiles.sha256(received.toByteArray())).as("seed %d", seed).isEqualTo(TestFiles.sha256(data));
        body.abandon();
    }

    @Test
    void readWhenTheContainerDeliversInRandomPortionsThenEveryByteArrivesOnceInOrder() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            transferAndCheck(seed);
        }
    }

    @Test
    void readWhenTheReaderIsInterruptedThenItEndsWithInterruptedIoException() throws Exception {
        AsyncRequestBody body = new AsyncRequestBody(() -> new FakeInput(new byte[10], 1));
        body.start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                body.read(new byte[10], 0, 10);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        reader.interrupt();
        reader.join(10_000);
        assertThat(outcome.get()).isInstanceOf(InterruptedIOException.class);
    }
}
