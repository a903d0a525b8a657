/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code docs/} is valid JSON whose every query names only series (and labels) that a
 * real Prometheus scrape of Torrin's meters contains, and {@code docs/operations.md} lists every meter.
 */
class GrafanaDashboardTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern METRIC = Pattern.compile("\\btorrin_[a-z_]+");
    private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");
    private static final Pattern SELECTOR_LABEL = Pattern.compile("([a-z_]+)\\s*(?:=~|!~|!=|=)\\s*\"");
    /** Labels Prometheus adds at scrape time. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");

    @Test
    void dashboardQueriesOnlySeriesAndLabelsThatExist() throws Exception {
        Map<String, Set<String>> series = scrapedSeries();
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DOCS.resolve("grafana-dashboard.json")));
        assertThat(dashboard.path("title").asText()).isNotBlank();
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets")
                    .forEach(target -> expressions.add(target.path("expr").asText()));
        });
        dashboard.at("/templating/list").forEach(variable -> {
            if (variable.has("definition")) {
                expressions.add(variable.path("definition").asText());
            }
        });
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);
        Set<String> used = new HashSet<>();
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            List<String> metrics = new ArrayList<>();
            while (metric.find()) {
                metrics.add(metric.group());
            }
            assertThat(metrics).as(expression).isNotEmpty();
            Set<String> labels = new HashSet<>();
            Matcher by = BY.matcher(expression);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    labels.add(label.trim());
                }
            }
            Matcher selector = SELECTOR_LABEL.matcher(expression);
            while (selector.find()) {
                labels.add(selector.group(1));
            }
            labels.removeAll(SCRAPE_LABELS);
            for (String name : metrics) {
                assertThat(series).as("%s in %s", name, expression).containsKey(name);
                assertThat(series.get(name))
                        .as("labels of %s in %s", name, expression)
                        .containsAll(labels);
                used.add(name.replaceAll("_(bucket|count|sum|max|total)$", ""));
            }
        }
        // every meter family is on the dashboard
        assertThat(used)
                .contains(
                        "torrin_uploads_initiated",
                        "torrin_uploads_completed",
                        "torrin_uploads_aborted",
                        "torrin_uploads_expired",
                        "torrin_uploads_in_flight",
                        "torrin_upload_received_bytes",
                        "torrin_operation_seconds",
                        "torrin_errors",
                        "torrin_lock_wait_seconds",
                        "torrin_lock_timeouts",
                        "torrin_storage_operation_seconds",
                        "torrin_store_operation_seconds",
                        "torrin_sweeps_seconds",
                        "torrin_sweep_removed");
    }

    @Test
    void operationsPageListsEveryMeter() throws Exception {
        String page = Files.readString(DOCS.resolve("operations.md"));
        assertThat(TorrinMeters.ALL).allSatisfy(name -> assertThat(page).contains("`" + name + "`"));
        assertThat(page).contains("`" + TorrinMeters.OBSERVATION + "`");
    }

    /** Series name → the label names it has, from a scrape after the scripted uploads. */
    private static Map<String, Set<String>> scrapedSeries() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TorrinMetricsTest.runScript(registry, TorrinMetrics::of);
        Map<String, Set<String>> series = new HashMap<>();
        Pattern line = Pattern.compile("^(torrin_[a-z_]+)(?:\\{([^}]*)})? ");
        Pattern label = Pattern.compile("([a-z_]+)=\"");
        for (String text : registry.scrape().split("\n")) {
            Matcher matcher = line.matcher(text);
            if (matcher.find()) {
                Set<String> labels = series.computeIfAbsent(matcher.group(1), k -> new HashSet<>());
                if (matcher.group(2) != null) {
                    Matcher l = label.matcher(matcher.group(2));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
        return series;
    }
}
