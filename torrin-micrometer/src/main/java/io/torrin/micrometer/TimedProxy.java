/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a storage driver or store in a proxy that implements every public interface the object implements (so
 * that the service still sees its capabilities, such as {@code AppendableStorage}) and times each call of the
 * SPI methods. Cheap accessors ({@code kind}, {@code constraints}, {@code locks}) and {@link Object}'s methods
 * are passed on untimed.
 */
final class TimedProxy implements InvocationHandler {

    private static final Set<String> UNTIMED = Set.of("kind", "constraints", "locks", "toString", "hashCode", "equals");

    private final Object delegate;
    private final MeterRegistry registry;
    private final String name;
    private final Tags tags;
    private final ConcurrentMap<Method, Timer[]> timers = new ConcurrentHashMap<>();

    private TimedProxy(Object delegate, MeterRegistry registry, String name, Tags tags) {
        this.delegate = delegate;
        this.registry = registry;
        this.name = name;
        this.tags = tags;
    }

    static <T> T wrap(Class<T> type, T delegate, MeterRegistry registry, String name, Tags tags) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        collect(delegate.getClass(), interfaces);
        interfaces.add(type);
        Object proxy = Proxy.newProxyInstance(
                delegate.getClass().getClassLoader(),
                interfaces.toArray(Class<?>[]::new),
                new TimedProxy(delegate, registry, name, tags));
        return type.cast(proxy);
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (Modifier.isPublic(i.getModifiers())) {
                    into.add(i);
                }
                collect(i, into);
            }
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (UNTIMED.contains(method.getName())) {
            if (method.getName().equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            return call(method, args);
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            Object result = call(method, args);
            failed = false;
            return result;
        } finally {
            Timer[] pair = timers.computeIfAbsent(method, m -> new Timer[] {timer(m, "success"), timer(m, "error")});
            pair[failed ? 1 : 0].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Timer timer(Method method, String outcome) {
        return Timer.builder(name)
                .description("calls of the " + (name.contains("store") ? "store" : "storage driver") + " by method")
                .tags(tags)
                .tag("operation", method.getName())
                .tag("outcome", outcome)
                .register(registry);
    }
}
