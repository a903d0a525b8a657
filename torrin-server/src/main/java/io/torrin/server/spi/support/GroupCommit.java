/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Group commit: concurrent callers' items are committed together, one durable flush (one {@code fsync}, one
 * database transaction, one network round trip) for every item that arrived while the previous batch was being
 * committed, without a thread of its own.
 *
 * <p>{@link #submit} queues the caller's item. If no batch is running, the caller becomes the leader: it takes every
 * queued item (up to {@code maxBatch}), runs the {@link Committer} on them in its own thread, hands each item its
 * outcome and wakes the others. Items that arrive meanwhile wait; when the batch ends, one of their callers leads the
 * next one. A caller returns only once its own item's outcome is set, so a store that acknowledges after
 * {@code submit} returns acknowledges only what its committer made durable. With one caller at a time there is no
 * waiting at all: the caller commits its single item itself, as it would without this class.
 *
 * <p>Outcomes: the committer completes or fails each item ({@link Batch#complete}, {@link Batch#fail}); an item it
 * leaves open fails with {@link IllegalStateException}; if the committer throws, every open item of the batch fails
 * with that exception (the same instance, so it should not be an exception that carries per-caller state).
 *
 * <p>Waiting is not interruptible: an item may already be in a running commit, so abandoning it would leave the caller
 * unsure whether it was made durable. A caller interrupted while waiting keeps waiting and returns with its interrupt
 * flag set.
 *
 * <p>Thread-safe. Batches run one at a time per instance, so the committer needs no locking of its own against
 * itself (it still needs it against other writers of the same data).
 *
 * @param <I> the item type
 * @param <O> the outcome type
 */
public final class GroupCommit<I, O> {

    private final Committer<I, O> committer;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Slot<I, O>> queue = new ArrayDeque<>();
    private boolean running;

    /**
     * Creates a group commit.
     *
     * @param committer commits one batch, not null
     * @param maxBatch the most items one batch takes, at least 1
     * @throws IllegalArgumentException if {@code maxBatch < 1}
     */
    public GroupCommit(Committer<I, O> committer, int maxBatch) {
        this.committer = Objects.requireNonNull(committer, "committer");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Commits an item, together with whatever other callers submit at the same time.
     *
     * @param item the item, not null
     * @return the outcome the committer gave it
     * @throws RuntimeException the exception the committer failed the item with, or threw for its batch
     * @throws Error if the committer threw one for the batch
     */
    public O submit(I item) {
        Objects.requireNonNull(item, "item");
        boolean interrupted = false;
        lock.lock();
        try {
            Slot<I, O> slot = new Slot<>(item, lock.newCondition());
            queue.add(slot);
            while (!slot.done) {
                if (!running) {
                    running = true;
                    List<Slot<I, O>> taken = new ArrayList<>(Math.min(queue.size(), maxBatch));
                    while (!queue.isEmpty() && taken.size() < maxBatch) {
                        taken.add(queue.poll());
                    }
                    lock.unlock();
                    try {
                        commit(taken);
                    } finally {
                        lock.lock();
                        running = false;
                        // publish the outcomes, then wake only their callers and the one that leads next
                        for (Slot<I, O> done : taken) {
                            done.done = true;
                            done.wakeup.signal();
                        }
                        Slot<I, O> next = queue.peek();
                        if (next != null) {
                            next.wakeup.signal();
                        }
                    }
                } else {
                    try {
                        slot.wakeup.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return slot.outcome();
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the committer and decides what it left open; the caller publishes the outcomes under the lock. */
    private void commit(List<Slot<I, O>> taken) {
        Batch<I, O> batch = new Batch<>(taken);
        try {
            committer.commit(batch);
        } catch (RuntimeException | Error e) {
            for (Slot<I, O> slot : taken) {
                if (!slot.decided) {
                    slot.failure = e;
                    slot.decided = true;
                }
            }
        }
        for (Slot<I, O> slot : taken) {
            if (!slot.decided) {
                slot.failure = new IllegalStateException("the committer gave no outcome for " + slot.item);
                slot.decided = true;
            }
        }
    }

    /**
     * Commits one batch. Called by one caller at a time, in that caller's thread.
     *
     * @param <I> the item type
     * @param <O> the outcome type
     */
    @FunctionalInterface
    public interface Committer<I, O> {
        /**
         * Makes the batch's items durable and gives each its outcome.
         *
         * @param batch the items, in arrival order; at least one
         */
        void commit(Batch<I, O> batch);
    }

    /**
     * The items of one batch, in arrival order, and their outcomes. Used only by the committer's thread.
     *
     * @param <I> the item type
     * @param <O> the outcome type
     */
    public static final class Batch<I, O> {
        private final List<Slot<I, O>> slots;
        private final List<I> items;

        private Batch(List<Slot<I, O>> slots) {
            this.slots = slots;
            List<I> list = new ArrayList<>(slots.size());
            for (Slot<I, O> slot : slots) {
                list.add(slot.item);
            }
            this.items = Collections.unmodifiableList(list);
        }

        /**
         * Returns the items.
         *
         * @return the items, in arrival order, unmodifiable
         */
        public List<I> items() {
            return items;
        }

        /**
         * Returns the number of items.
         *
         * @return at least 1
         */
        public int size() {
            return slots.size();
        }

        /**
         * Gives item {@code i} its outcome (the first outcome given counts).
         *
         * @param i the item's position in {@link #items()}
         * @param outcome the outcome, may be null if {@code O} allows it
         */
        public void complete(int i, O outcome) {
            Slot<I, O> slot = slots.get(i);
            if (!slot.decided) {
                slot.outcome = outcome;
                slot.decided = true;
            }
        }

        /**
         * Fails item {@code i} (the first outcome given counts).
         *
         * @param i the item's position in {@link #items()}
         * @param failure what its caller will throw, not null
         */
        public void fail(int i, RuntimeException failure) {
            Slot<I, O> slot = slots.get(i);
            if (!slot.decided) {
                slot.failure = Objects.requireNonNull(failure, "failure");
                slot.decided = true;
            }
        }

        /**
         * Gives item {@code i} the outcome {@code work} returns, or fails it with what {@code work} throws.
         *
         * @param i the item's position in {@link #items()}
         * @param work computes the outcome, not null
         */
        public void decide(int i, Supplier<O> work) {
            O outcome;
            try {
                outcome = work.get();
            } catch (RuntimeException e) {
                fail(i, e);
                return;
            }
            complete(i, outcome);
        }

        /**
         * Fails every item that has no outcome yet.
         *
         * @param failure the exception for the item at a position, not null; called once per open item, so each
         *     caller can get its own instance
         */
        public void failOpen(IntFunction<RuntimeException> failure) {
            for (int i = 0; i < slots.size(); i++) {
                if (!slots.get(i).decided) {
                    fail(i, failure.apply(i));
                }
            }
        }
    }

    private static final class Slot<I, O> {
        final I item;
        /** Signalled when the item is done or its caller may lead the next batch. */
        final Condition wakeup;
        // written by the committer's thread, read by the caller after `done` is set under the lock
        O outcome;
        Throwable failure;
        boolean decided;
        // guarded by the lock
        boolean done;

        Slot(I item, Condition wakeup) {
            this.item = item;
            this.wakeup = wakeup;
        }

        O outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return outcome;
        }
    }
}
