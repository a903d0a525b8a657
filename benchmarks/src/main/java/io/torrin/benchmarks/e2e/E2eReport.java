/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.e2e;

import static io.torrin.benchmarks.tus.Runs.median;

import io.torrin.benchmarks.common.Machine;
import io.torrin.benchmarks.e2e.E2eBenchmark.Row;
import io.torrin.benchmarks.tus.Runs.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code e2e} scenario prints: the header with the machine and the columns, then the Markdown table with its
 * ratio columns and the notes, durabilities and checks below it.
 */
final class E2eReport {

    private final E2eSettings settings;
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
    E2eReport(E2eSettings settings, Set<String> verified, Set<String> warnings) {
        this.settings = settings;
        this.verified = verified;
        this.warnings = warnings;
    }

    void printHeader(Path base, List<E2eTarget> targets) {
        E2eSettings s = settings;
        System.out.printf(
                Locale.ROOT,
                "e2e%s: %d run(s) after %d warm-up(s) per row and column, column order rotating;"
                        + " rate windows %.1f s; storage under %s%n",
                s.quick() ? " --quick" : "",
                s.runs(),
                s.warmup(),
                s.windowSeconds(),
                base);
        System.out.println("Machine: " + Machine.describe(base));
        for (E2eTarget target : targets) {
            String where = target instanceof TorrinHttpTarget http
                    ? " at " + http.mountUrl()
                    : target instanceof TusPeerTarget tus ? " at " + tus.creationUrl() : "";
            System.out.println("column: " + target.name() + where);
        }
        System.out.println();
    }

    void printTable(List<Row> rows, List<E2eTarget> targets, Map<Row, Map<E2eTarget, Result>> results) {
        E2eTarget ours = targets.get(0);
        boolean peers = targets.stream().anyMatch(t -> t.role() == E2eTarget.Role.PEER);
        boolean variant = targets.stream().anyMatch(t -> t.role() == E2eTarget.Role.VARIANT);
        System.out.println();
        StringBuilder header = new StringBuilder("| row |");
        StringBuilder rule = new StringBuilder("|---|");
        for (E2eTarget target : targets) {
            header.append(' ').append(target.name()).append(" |");
            rule.append("---:|");
        }
        List<E2eTarget> limits = targets.stream()
                .filter(t -> t.role() == E2eTarget.Role.DISK_LIMIT || t.role() == E2eTarget.Role.HTTP_LIMIT)
                .toList();
        for (E2eTarget limit : limits) {
            header.append(" Torrin / ").append(shortName(limit)).append(" |");
            rule.append("---:|");
        }
        if (variant) {
            header.append(" Torrin + metrics / Torrin |");
            rule.append("---:|");
        }
        if (peers) {
            header.append(" Torrin / faster peer |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        List<Integer> aboveLimit = new ArrayList<>();
        for (Row row : rows) {
            Map<E2eTarget, Result> byTarget = results.get(row);
            for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
                Double limit = medianOf(entry.getValue());
                Double mine = medianOf(byTarget.get(ours));
                if (entry.getKey().role() == E2eTarget.Role.DISK_LIMIT
                        && limit != null
                        && mine != null
                        && mine > limit) {
                    aboveLimit.add(row.number());
                }
            }
            StringBuilder line = new StringBuilder("| " + row.number() + ". " + row.label()
                    + (row.peerNote() == null || !peers ? "" : " (" + row.peerNote() + ")") + " (" + row.unit()
                    + ") |");
            for (E2eTarget target : targets) {
                Result result = byTarget.get(target);
                line.append(' ')
                        .append(result == null ? "n/a" : result.cell(row.unit()))
                        .append(" |");
            }
            for (E2eTarget limit : limits) {
                line.append(' ').append(limitRatio(ours, byTarget, limit)).append(" |");
            }
            if (variant) {
                line.append(' ').append(variantRatio(ours, byTarget)).append(" |");
            }
            if (peers) {
                line.append(' ').append(peerRatio(ours, byTarget)).append(" |");
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("Cells: median (min–max) over " + settings.runs() + " run(s) after " + settings.warmup()
                + " warm-up(s); higher is better everywhere; n/a: the row does not apply (the disk limit makes no"
                + " requests). Ratios compare medians; \"faster peer\" is the faster of the tus servers of Torrin's"
                + " durability (" + (ours.forcesEachRequest() ? "fsync per PATCH" : "no fsync per PATCH")
                + "); a peer of another durability is shown, never compared.");
        if (!aboveLimit.isEmpty()) {
            System.out.println("Torrin / disk limit above 1 (row "
                    + aboveLimit.stream()
                            .map(String::valueOf)
                            .reduce((x, y) -> x + ", " + y)
                            .orElse("") + "): the disk limit writes into the page cache and did"
                    + " not reach its ceiling there; on a VM, fresh page-cache writes of this size vary several-fold"
                    + " with the memory state the previous column left (compare row 2, or `--peers disk` alone)."
                    + " Read such a row as \"not bound by the disk\", not as a ratio.");
        }
        if (rows.stream().anyMatch(r -> r.number() == 1) && peers) {
            System.out.println(
                    "Row 1: Torrin, the limits and the disk write one upload on " + settings.largeConnections()
                            + " connections at once; the tus peers cannot: the core tus protocol appends PATCHes at the"
                            + " current offset, one at a time, so their column is one connection sending the same chunks in"
                            + " order (tus's concatenation extension, not used here, would split a file into several uploads).");
        }
        System.out.println("Timing of upload rows: from the creation request to the answer that finishes the upload"
                + " (Torrin and the HTTP limit: POST complete; tus: a HEAD confirming the length; disk: close), all"
                + " uploads of the row started together. Rate rows: requests answered in the window on all"
                + " connections, each connection creating (and for status, half filling) its own upload first,"
                + " outside the window.");
        List<Double> foreign = results.values().stream()
                .flatMap(m -> m.values().stream())
                .flatMap(r -> r.foreignCpu.stream())
                .filter(f -> f >= 0)
                .toList();
        if (!foreign.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "CPU used by other processes during the measured runs: median %.0f%%, max"
                            + " %.0f%% of the machine (see the per-run lines; the servers and the client share the %d"
                            + " CPUs).%n",
                    median(foreign) * 100,
                    foreign.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 100,
                    Runtime.getRuntime().availableProcessors());
        }
        System.out.println("Clients: TorrinClient (Torrin, HTTP limit) and TusClient (tus peers), one per connection:"
                + " HTTP/1.1 keep-alive, TCP_NODELAY, request head and body in one gathering write from off-heap"
                + " buffers, no pipelining, 127.0.0.1.");
        System.out.println();
        System.out.println("Durability (what an acknowledged chunk guarantees):");
        for (E2eTarget target : targets) {
            System.out.println("- " + target.name() + ": " + target.durabilityNote());
        }
        System.out.println();
        System.out.println("Verified (once per column and row, in the warm-up; every answer is checked in every run):");
        for (String line : verified) {
            System.out.println("- " + line);
        }
        for (String warning : warnings) {
            System.out.println("- warning: " + warning);
        }
    }

    private static Double medianOf(Result result) {
        return result == null || result.failure != null || result.values.isEmpty() ? null : median(result.values);
    }

    private static String limitRatio(E2eTarget ours, Map<E2eTarget, Result> byTarget, E2eTarget limitTarget) {
        Double mine = medianOf(byTarget.get(ours));
        Double limit = medianOf(byTarget.get(limitTarget));
        return mine != null && limit != null && limit > 0 ? String.format(Locale.ROOT, "%.2f", mine / limit) : "–";
    }

    /** The limit's name without its " (limit)" suffix, for the ratio column's header. */
    private static String shortName(E2eTarget limit) {
        String name = limit.name();
        return name.endsWith(" (limit)") ? name.substring(0, name.length() - " (limit)".length()) : name;
    }

    private static String variantRatio(E2eTarget ours, Map<E2eTarget, Result> byTarget) {
        Double mine = medianOf(byTarget.get(ours));
        for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
            Double other = medianOf(entry.getValue());
            if (entry.getKey().role() == E2eTarget.Role.VARIANT && mine != null && other != null && mine > 0) {
                return String.format(Locale.ROOT, "%.3f", other / mine);
            }
        }
        return "–";
    }

    private static String peerRatio(E2eTarget ours, Map<E2eTarget, Result> byTarget) {
        Double mine = medianOf(byTarget.get(ours));
        if (mine == null) {
            return "–";
        }
        E2eTarget fastest = null;
        double best = 0;
        for (Map.Entry<E2eTarget, Result> entry : byTarget.entrySet()) {
            Double value = medianOf(entry.getValue());
            if (entry.getKey().role() == E2eTarget.Role.PEER
                    && entry.getKey().forcesEachRequest() == ours.forcesEachRequest()
                    && value != null
                    && value > best) {
                best = value;
                fastest = entry.getKey();
            }
        }
        return fastest == null ? "–" : String.format(Locale.ROOT, "**%.2f** (vs %s)", mine / best, fastest.name());
    }
}
