/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport;

import io.torrin.server.spi.support.GroupCommit;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Sees, from thread stacks, how many callers wait in a {@link GroupCommit}'s queue: threads parked in a condition
 * wait inside {@code GroupCommit.submit} and not leading a batch (no {@code GroupCommit.commit} frame). A thread
 * parked on the group commit's lock (about to queue) does not count, so once the count is reached every counted item
 * is in the queue. For tests that hold a batch and need the next one to form before they let it go.
 */
public final class GroupCommitWaiters {

    private static final String GROUP_COMMIT = GroupCommit.class.getName();

    private GroupCommitWaiters() {}

    /**
     * Counts the queued callers among the threads that pass the filter.
     *
     * @param threads which threads to look at, not null
     * @return how many of them wait in a group commit's queue
     */
    public static long queued(Predicate<Thread> threads) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> threads.test(e.getKey()) && e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> isQueued(e.getValue()))
                .count();
    }

    /**
     * Waits until at least {@code count} of the filtered threads wait in a group commit's queue.
     *
     * @param count the callers to wait for
     * @param threads which threads to look at, not null
     * @param timeout the longest wait, not null
     * @return the number queued when it was reached (at least {@code count})
     * @throws AssertionError if fewer were queued when the timeout ran out
     */
    public static long awaitQueued(int count, Predicate<Thread> threads, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long queued = queued(threads);
            if (queued >= count) {
                return queued;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("fewer than " + count + " callers queued in a group commit after " + timeout);
    }

    private static boolean isQueued(StackTraceElement[] frames) {
        boolean conditionWait = false;
        boolean submitting = false;
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().equals(GROUP_COMMIT)) {
                if (frame.getMethodName().equals("commit")) {
                    return false;
                }
                submitting |= frame.getMethodName().equals("submit");
            } else if (frame.getClassName().endsWith("$ConditionObject")
                    && frame.getMethodName().startsWith("await")) {
                conditionWait = true;
            }
        }
        return submitting && conditionWait;
    }
}
