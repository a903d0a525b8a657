/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import javax.sql.DataSource;

/**
 * A data source around a real one that counts connections and durable commits (an explicit {@link Connection#commit}
 * or a write statement run in autocommit mode), can hold the next {@code getConnection} until released, and can fail
 * the commits of chosen connections with a serialization failure (SQLState {@code 40001}) instead of committing.
 *
 * <p>Connections are numbered from 1 in the order they are asked for, counted since the last {@link #reset()}.
 */
final class CommitCountingDataSource {

    private static final Set<String> WRITES =
            Set.of("executeUpdate", "executeBatch", "executeLargeUpdate", "executeLargeBatch");

    private final DataSource target;
    private final DataSource proxy;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger failedCommits = new AtomicInteger();
    private final AtomicReference<CountDownLatch> holdNext = new AtomicReference<>();
    private volatile CountDownLatch released = new CountDownLatch(0);
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile IntPredicate failCommitsOf = ordinal -> false;

    CommitCountingDataSource(DataSource target) {
        this.target = target;
        this.proxy = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, this::onDataSource);
    }

    DataSource dataSource() {
        return proxy;
    }

    /** Zeroes the counts and the connection numbers, and stops failing commits. */
    void reset() {
        connections.set(0);
        commits.set(0);
        failedCommits.set(0);
        failCommitsOf = ordinal -> false;
    }

    /** Makes the next {@code getConnection} wait until {@link #release()}. */
    void holdNextConnection() {
        held = new CountDownLatch(1);
        released = new CountDownLatch(1);
        holdNext.set(released);
    }

    /** Waits until a {@code getConnection} is held. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no connection was asked for");
        }
    }

    /** Lets the held {@code getConnection} go on. */
    void release() {
        released.countDown();
    }

    /** Fails every commit of the connections whose number matches, instead of committing. */
    void failCommitsOf(IntPredicate ordinals) {
        this.failCommitsOf = ordinals;
    }

    int connections() {
        return connections.get();
    }

    int commits() {
        return commits.get();
    }

    int failedCommits() {
        return failedCommits.get();
    }

    private Object onDataSource(Object self, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("getConnection")) {
            int ordinal = connections.incrementAndGet();
            CountDownLatch hold = holdNext.getAndSet(null);
            if (hold != null) {
                held.countDown();
                if (!hold.await(30, TimeUnit.SECONDS)) {
                    throw new SQLException("the held connection was never released");
                }
            }
            Connection connection = (Connection) invoke(target, method, args);
            return Proxy.newProxyInstance(
                    Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    connectionHandler(connection, ordinal));
        }
        return invoke(target, method, args);
    }

    private InvocationHandler connectionHandler(Connection connection, int ordinal) {
        return (self, method, args) -> {
            switch (method.getName()) {
                case "commit" -> {
                    durablePoint(ordinal);
                    Object result = invoke(connection, method, args);
                    commits.incrementAndGet();
                    return result;
                }
                case "prepareStatement", "createStatement" -> {
                    Statement statement = (Statement) invoke(connection, method, args);
                    Class<?> type = method.getReturnType();
                    return Proxy.newProxyInstance(
                            type.getClassLoader(),
                            new Class<?>[] {type},
                            statementHandler(connection, statement, ordinal));
                }
                default -> {
                    return invoke(connection, method, args);
                }
            }
        };
    }

    private InvocationHandler statementHandler(Connection connection, Statement statement, int ordinal) {
        return (self, method, args) -> {
            if (WRITES.contains(method.getName()) && connection.getAutoCommit()) {
                durablePoint(ordinal);
                Object result = invoke(statement, method, args);
                commits.incrementAndGet();
                return result;
            }
            return invoke(statement, method, args);
        };
    }

    private void durablePoint(int ordinal) throws SQLException {
        if (failCommitsOf.test(ordinal)) {
            failedCommits.incrementAndGet();
            throw new SQLException("injected commit failure of connection " + ordinal, "40001");
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
