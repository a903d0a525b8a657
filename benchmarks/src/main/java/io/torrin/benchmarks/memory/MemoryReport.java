/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.memory;

import static io.torrin.benchmarks.memory.MemoryBenchmark.MIB;

import io.torrin.benchmarks.memory.MemoryBenchmark.Plateau;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the {@code memory} scenario prints: its opening line, the plateau table with the heap histograms and native
 * memory behind it, and the flat-heap table; also the parts of {@code jcmd}'s output those tables show.
 */
final class MemoryReport {

    private static final int HISTOGRAM_LINES = 10;

    private MemoryReport() {}

    /** The opening line: how the server runs and what the two parts of the scenario measure. */
    static void printHeader(
            String mode, int maxThreads, int uploads, String maxHeap, long smallMiB, long largeMiB, String flatHeap) {
        System.out.printf(
                Locale.ROOT,
                "memory: server in a child JVM (Jetty 12, %s, local driver Durability.NONE,"
                        + " file store fsync(false), Jetty pool max %d threads); %d slow uploads per protocol in a -Xmx%s"
                        + " child; flat heap %d MiB vs %d MiB in a -Xmx%s child%n",
                mode,
                maxThreads,
                uploads,
                maxHeap,
                smallMiB,
                largeMiB,
                flatHeap);
    }

    static void printPlateaus(List<Plateau> plateaus, String mode) {
        System.out.printf(
                Locale.ROOT,
                "%nMemory per in-flight upload (%s): (in flight − idle) / requests in flight;"
                        + " heap used after System.gc(); RSS = VmRSS of the server JVM (includes heap growth, thread stacks,"
                        + " direct buffers)%n%n",
                mode);
        System.out.println("| protocol | in flight | heap after GC, MiB (idle → in flight) | **heap / upload (KiB)**"
                + " | RSS, MiB (idle → in flight) | **RSS / upload (KiB)** | threads (idle → in flight)"
                + " | direct buffers, MiB (idle → in flight) | direct / upload (KiB) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Plateau p : plateaus) {
            long directBefore = p.before().getOrDefault("directUsed", 0L);
            long directAfter = p.after().getOrDefault("directUsed", 0L);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d/%d | %.1f → %.1f | **%.1f** | %.1f → %.1f | **%.1f** | %d → %d"
                            + " | %.1f → %.1f | %.1f |%n",
                    p.protocol().label,
                    p.inFlight(),
                    p.uploads(),
                    p.before().get("heapUsed") / (double) MIB,
                    p.after().get("heapUsed") / (double) MIB,
                    p.heapPerUpload(),
                    p.rssBefore() / (double) MIB,
                    p.rssAfter() / (double) MIB,
                    p.perUpload(p.rssBefore(), p.rssAfter()),
                    p.before().get("threads"),
                    p.after().get("threads"),
                    directBefore / (double) MIB,
                    directAfter / (double) MIB,
                    p.perUpload(directBefore, directAfter));
        }
        System.out.println();
        for (Plateau p : plateaus) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: %.1f KiB heap per in-flight upload: target ≤ 64 KiB %s%n",
                    p.protocol().label,
                    p.heapPerUpload(),
                    p.heapPerUpload() <= 64 ? "met" : "MISSED");
        }
        for (Plateau p : plateaus) {
            System.out.printf(
                    Locale.ROOT,
                    "%nHeap histogram of the server with %d %s requests in flight (jcmd"
                            + " GC.class_histogram, top %d):%n%n```%n",
                    p.inFlight(),
                    p.protocol().label,
                    HISTOGRAM_LINES);
            p.histogram().forEach(System.out::println);
            System.out.println("```");
            System.out.printf(
                    Locale.ROOT,
                    "%nWhere the heap per upload goes (%s): classes by growth from idle,"
                            + " divided by the requests in flight%n%n",
                    p.protocol().label);
            System.out.println("| class | instances / upload | bytes / upload |");
            System.out.println("|---|---:|---:|");
            p.histogramAfter().entrySet().stream()
                    .map(e -> {
                        long[] idle = p.histogramBefore().getOrDefault(e.getKey(), new long[2]);
                        return Map.entry(e.getKey(), new long[] {e.getValue()[0] - idle[0], e.getValue()[1] - idle[1]});
                    })
                    .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1])
                            .reversed())
                    .limit(HISTOGRAM_LINES)
                    .forEach(e -> System.out.printf(
                            Locale.ROOT,
                            "| %s | %.1f | %.0f |%n",
                            e.getKey(),
                            e.getValue()[0] / (double) Math.max(1, p.inFlight()),
                            e.getValue()[1] / (double) Math.max(1, p.inFlight())));
            if (!p.nativeDiff().isEmpty()) {
                System.out.printf(
                        Locale.ROOT,
                        "%nNative memory, change from idle (jcmd VM.native_memory summary.diff," + " KB):%n%n```%n");
                p.nativeDiff().forEach(System.out::println);
                System.out.println("```");
            }
        }
    }

    /** The flat-heap table: its caption, its header and the rows measured. */
    static void printFlatHeap(String maxHeap, List<String> rows) {
        System.out.printf(
                Locale.ROOT,
                "%nHeap against file size, server -Xmx%s: peak = sum of the heap pools' peak"
                        + " usage since a GC and reset (young garbage included: it follows the young generation's size, not"
                        + " the file); old gen peak = the same for the old generation alone; allocated = bytes allocated by"
                        + " the server's live threads per MiB uploaded%n%n",
                maxHeap);
        System.out.println("| protocol | file | result | MiB/s | peak heap (MiB) | old gen peak (MiB) | GCs"
                + " | allocated (KiB / MiB uploaded) | heap after GC (MiB) |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** The histogram's header and its first {@value #HISTOGRAM_LINES} classes, plus the total. */
    static List<String> histogram(List<String> output) {
        List<String> lines = new ArrayList<>();
        int classes = 0;
        for (String line : output) {
            String trimmed = line.trim();
            if (trimmed.startsWith("num") || trimmed.startsWith("---")) {
                lines.add(line);
            } else if (trimmed.matches("\\d+:\\s+\\d+\\s+\\d+\\s+.*") && classes < HISTOGRAM_LINES) {
                lines.add(line);
                classes++;
            } else if (trimmed.startsWith("Total")) {
                lines.add(line);
            }
        }
        return lines.isEmpty() ? output : lines;
    }

    /** Parses a class histogram into instances and bytes by class name. */
    static Map<String, long[]> histogramByClass(List<String> output) {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : output) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].matches("\\d+:")) {
                classes.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        return classes;
    }

    /** The category lines of a native memory diff whose committed size changed. */
    static List<String> nativeDiff(List<String> output) {
        List<String> lines = new ArrayList<>();
        for (String line : output) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Total:")
                    || trimmed.startsWith("-")
                            && trimmed.contains("committed=")
                            && trimmed.matches(".*committed=\\d+KB [+-]\\d+KB.*")) {
                lines.add(line);
            } else if (trimmed.startsWith("(stack:")
                    || trimmed.startsWith("(thread #")
                    || trimmed.startsWith("(malloc=")
                            && !lines.isEmpty()
                            && lines.get(lines.size() - 1).contains("Thread")) {
                lines.add(line);
            }
        }
        return lines.isEmpty() ? output : lines;
    }
}
