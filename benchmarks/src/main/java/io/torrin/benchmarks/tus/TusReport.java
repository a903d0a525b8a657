/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import static io.torrin.benchmarks.tus.Runs.median;

import io.torrin.benchmarks.tus.Runs.Result;
import io.torrin.benchmarks.tus.TusBenchmark.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code tus} scenario prints: the header with the servers, then the Markdown table with Torrin's ratio
 * columns and the notes, durabilities and checks below it.
 */
final class TusReport {

    private final TusSettings settings;
    private final Set<String> verified;
    private final Set<String> warnings;

    /**
     * Reports on a run with these options, listing the checks and warnings the sets given hold when the table is
     * printed.
     *
     * @param settings the options of the run
     * @param verified the checks done, in the order they ran
     * @param warnings the problems met that did not stop the run
     */
    TusReport(TusSettings settings, Set<String> verified, Set<String> warnings) {
        this.settings = settings;
        this.verified = verified;
        this.warnings = warnings;
    }

    void printHeader(Path base, List<TusTarget> targets) {
        TusSettings s = settings;
        System.out.printf(
                Locale.ROOT,
                "tus%s: %d run(s) after %d warm-up(s) per row and server, server order rotating;"
                        + " rate windows %.1f s; %d processors; Java %s, max heap %d MiB; storage under %s%n",
                s.quick() ? " --quick" : "",
                s.runs(),
                s.warmup(),
                s.windowSeconds(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                base);
        for (TusTarget target : targets) {
            System.out.println("server: " + target.name() + " at " + target.creationUrl() + " ("
                    + target.durability().label() + ")");
        }
        System.out.println();
    }

    void printTable(List<Row> rows, List<TusTarget> targets, TusTarget ours, Map<Row, Map<TusTarget, Result>> results) {
        System.out.println();
        StringBuilder header = new StringBuilder("| row |");
        StringBuilder rule = new StringBuilder("|---|");
        for (TusTarget target : targets) {
            header.append(' ')
                    .append(target.name())
                    .append(" (")
                    .append(shortLabel(target.durability()))
                    .append(") |");
            rule.append("---:|");
        }
        boolean ceiling = targets.stream().anyMatch(TusTarget::isCeiling);
        if (ours != null) {
            header.append(' ').append(ours.name()).append(" / fastest peer of the same durability |");
            rule.append("---|");
            if (ceiling) {
                header.append(' ').append(ours.name()).append(" / HTTP sink |");
                rule.append("---:|");
            }
        }
        System.out.println(header);
        System.out.println(rule);
        for (Row row : rows) {
            Map<TusTarget, Result> byTarget = results.get(row);
            StringBuilder line = new StringBuilder("| " + row.label() + " (" + row.unit() + ") |");
            for (TusTarget target : targets) {
                line.append(' ').append(byTarget.get(target).cell(row.unit())).append(" |");
            }
            if (ours != null) {
                line.append(' ').append(ratio(ours, targets, byTarget)).append(" |");
                if (ceiling) {
                    line.append(' ')
                            .append(ceilingRatio(ours, targets, byTarget))
                            .append(" |");
                }
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println(
                "Cells: median (min–max) over " + settings.runs() + " run(s). Higher is better in every row.");
        List<Double> foreign = results.values().stream()
                .flatMap(m -> m.values().stream())
                .flatMap(r -> r.foreignCpu.stream())
                .filter(f -> f >= 0)
                .toList();
        if (!foreign.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "CPU used by other processes during the measured runs: median %.0f%%, max %.0f%%"
                            + " of the machine (a noisy neighbour, not the servers; see the per-run lines).%n",
                    median(foreign) * 100,
                    foreign.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100);
        }
        System.out.println(
                "Client: one TusClient per connection for every server (HTTP/1.1, keep-alive, TCP_NODELAY, request"
                        + " head and body sent by gathering writes, no pipelining), on loopback 127.0.0.1.");
        System.out.println();
        System.out.println("Durability (what an acknowledged PATCH guarantees):");
        for (TusTarget target : targets) {
            System.out.println("- " + target.name() + ": " + target.durabilityNote());
        }
        System.out.println();
        System.out.println("Verified (once per server and row):");
        for (String line : verified) {
            System.out.println("- " + line);
        }
        for (String warning : warnings) {
            System.out.println("- warning: " + warning);
        }
    }

    private static String shortLabel(TusTarget.PatchDurability durability) {
        return durability == TusTarget.PatchDurability.FSYNC_PER_PATCH ? "fsync/PATCH" : "no fsync/PATCH";
    }

    private static String ratio(TusTarget ours, List<TusTarget> targets, Map<TusTarget, Result> byTarget) {
        Result mine = byTarget.get(ours);
        if (mine.failure != null || mine.values.isEmpty()) {
            return "–";
        }
        TusTarget fastest = null;
        double best = 0;
        for (TusTarget peer : targets) {
            Result result = byTarget.get(peer);
            if (peer != ours
                    && !peer.isCeiling()
                    && peer.durability() == ours.durability()
                    && result.failure == null
                    && !result.values.isEmpty()
                    && median(result.values) > best) {
                best = median(result.values);
                fastest = peer;
            }
        }
        if (fastest == null) {
            return "no peer with " + ours.durability().label();
        }
        return String.format(Locale.ROOT, "**%.2f** (vs %s)", median(mine.values) / best, fastest.name());
    }

    private static String ceilingRatio(TusTarget ours, List<TusTarget> targets, Map<TusTarget, Result> byTarget) {
        Result mine = byTarget.get(ours);
        for (TusTarget target : targets) {
            Result sink = byTarget.get(target);
            if (target.isCeiling()
                    && sink.failure == null
                    && !sink.values.isEmpty()
                    && mine.failure == null
                    && !mine.values.isEmpty()) {
                return String.format(Locale.ROOT, "%.2f", median(mine.values) / median(sink.values));
            }
        }
        return "–";
    }
}
