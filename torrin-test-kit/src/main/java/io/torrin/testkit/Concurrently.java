/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a task on several threads that start at the same moment; for race tests. */
public final class Concurrently {

    private Concurrently() {}

    /** A task run by one of several concurrent workers. */
    @FunctionalInterface
    public interface Worker<T> {
        /**
         * Runs the task.
         *
         * @param worker the worker number, from 0
         * @return the worker's result
         * @throws Exception if the task fails
         */
        T run(int worker) throws Exception;
    }

    /**
     * Runs a task on {@code threads} threads released together, waits at most a minute for all, and returns
     * each worker's outcome in worker order.
     *
     * @param threads how many threads
     * @param task the task
     * @param <T> the result type
     * @return per worker, its result or the exception it threw
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> List<Outcome<T>> outcomes(int threads, Worker<T> task) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.run(worker);
                }));
            }
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    outcomes.add(new Outcome<>(future.get(60, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                } catch (TimeoutException e) {
                    outcomes.add(new Outcome<>(null, e));
                }
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Like {@link #outcomes}, but rethrows the first failure.
     *
     * @param threads how many threads
     * @param task the task
     * @param <T> the result type
     * @return the results in worker order
     * @throws Exception the first worker failure
     */
    public static <T> List<T> run(int threads, Worker<T> task) throws Exception {
        List<T> results = new ArrayList<>();
        for (Outcome<T> outcome : outcomes(threads, task)) {
            if (outcome.failure() != null) {
                if (outcome.failure() instanceof Exception e) {
                    throw e;
                }
                throw new AssertionError(outcome.failure());
            }
            results.add(outcome.result());
        }
        return results;
    }

    /**
     * What one worker ended with.
     *
     * @param result its result, if it succeeded
     * @param failure what it threw, or null
     * @param <T> the result type
     */
    public record Outcome<T>(T result, Throwable failure) {}
}
