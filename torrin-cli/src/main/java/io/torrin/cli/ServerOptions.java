/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import io.torrin.client.ResumeStore;
import io.torrin.client.RetryPolicy;
import io.torrin.client.TorrinClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every command shares: where the server is and how to talk to it. */
final class ServerOptions {

    @Option(
            names = {"-s", "--server"},
            paramLabel = "URL",
            description = "the server's Torrin mount URL, for example http://localhost:8080/torrin/uploads"
                    + " (default: the TORRIN_SERVER environment variable)",
            defaultValue = "${env:TORRIN_SERVER}")
    URI server;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "NAME:VALUE",
            description = "a header for every request, for example 'Authorization: Bearer ...' (repeatable)")
    List<String> headers = List.of();

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "longest time one request may take; a stalled chunk is sent again after it (default: 60)")
    int timeoutSeconds;

    @Option(
            names = "--retries",
            paramLabel = "N",
            defaultValue = "8",
            description = "attempts per request, the first included (default: 8)")
    int attempts;

    TorrinClient.Builder client(CommandLine.Model.CommandSpec spec, URI endpoint, ResumeStore resume) {
        if (endpoint == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "name the server with --server URL (or set TORRIN_SERVER)");
        }
        Map<String, String> fixed = new LinkedHashMap<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "not NAME:VALUE: " + header);
            }
            fixed.put(
                    header.substring(0, colon).trim(),
                    header.substring(colon + 1).trim());
        }
        if (timeoutSeconds < 1 || attempts < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout and --retries must be at least 1");
        }
        try {
            return TorrinClient.builder(endpoint)
                    .headers(() -> fixed)
                    .requestTimeout(Duration.ofSeconds(timeoutSeconds))
                    .retryPolicy(RetryPolicy.defaults().withMaxAttempts(attempts))
                    .resumeStore(resume);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
