/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How much CPU the rest of the machine took while a measurement ran: all CPUs' user, system and stolen (hypervisor)
 * time from {@code /proc/stat}, minus the CPU time of this JVM and its child processes (the Node server).
 * The benchmark prints it per measurement so a run disturbed by another workload on a shared machine can be told
 * from a slow server. On systems without {@code /proc/stat} it reports nothing.
 */
public final class ForeignCpu {

    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** {@code USER_HZ}: the unit of {@code /proc/stat}, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long busyTicks;
    private final long ownNanos;
    private final long wallNanos;

    private ForeignCpu(long busyTicks, long ownNanos, long wallNanos) {
        this.busyTicks = busyTicks;
        this.ownNanos = ownNanos;
        this.wallNanos = wallNanos;
    }

    /**
     * Takes a snapshot.
     *
     * @return the snapshot, with busy time -1 where {@code /proc/stat} is unavailable
     */
    public static ForeignCpu now() {
        long own = cpuNanos(ProcessHandle.current());
        own += ProcessHandle.current()
                .descendants()
                .mapToLong(ForeignCpu::cpuNanos)
                .sum();
        return new ForeignCpu(busyTicks(), own, System.nanoTime());
    }

    /**
     * Returns the share of all CPUs that other processes (and the hypervisor) used since {@code before}.
     *
     * @param before the earlier snapshot
     * @return a fraction from 0 to 1, or -1 if unknown
     */
    public double foreignShareSince(ForeignCpu before) {
        if (busyTicks < 0 || before.busyTicks < 0 || wallNanos <= before.wallNanos) {
            return -1;
        }
        double busySeconds = (busyTicks - before.busyTicks) / TICKS_PER_SECOND;
        double ownSeconds = (ownNanos - before.ownNanos) / 1e9;
        double capacity =
                (wallNanos - before.wallNanos) / 1e9 * Runtime.getRuntime().availableProcessors();
        return Math.max(0, Math.min(1, (busySeconds - ownSeconds) / capacity));
    }

    /**
     * Waits until other processes leave the machine alone: returns as soon as they take at most {@code threshold} of
     * it over half a second, or when {@code maxWait} has passed.
     *
     * @param threshold the share of all CPUs, 0 to 1
     * @param maxWait how long to wait at most
     * @return whether a quiet half second was seen ({@code true} also where {@code /proc/stat} is unavailable)
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean awaitQuiet(double threshold, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        do {
            ForeignCpu before = now();
            Thread.sleep(500);
            double share = now().foreignShareSince(before);
            if (share <= threshold) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long busyTicks() {
        try {
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    // user nice system idle iowait irq softirq steal: count user, nice, system and steal; interrupt
                    // time is left out because loopback networking (ours) is mostly accounted there, to no process
                    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[8]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
