/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.common;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one-line description of the machine a benchmark ran on (processors, RAM, operating system, Java, storage), as
 * the scenarios print it next to their results.
 */
public final class Machine {

    private Machine() {}

    /**
     * Describes this machine: processors (and CPU model), RAM, operating system, Java and its maximum heap, and the
     * file system holding {@code directory}; parts that cannot be read are left out.
     *
     * @param directory a directory on the storage the benchmark writes to
     * @return the description, one line
     */
    public static String describe(Path directory) {
        StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" processors");
        readLine(Path.of("/proc/cpuinfo"), "model name")
                .ifPresent(m -> text.append(" (").append(m).append(')'));
        readLine(Path.of("/proc/meminfo"), "MemTotal").ifPresent(m -> {
            String[] fields = m.trim().split("\\s+");
            try {
                text.append(String.format(Locale.ROOT, ", %.1f GiB RAM", Long.parseLong(fields[0]) / 1024.0 / 1024.0));
            } catch (RuntimeException e) {
                text.append(", RAM ").append(m.trim());
            }
        });
        String os = readLine(Path.of("/etc/os-release"), "PRETTY_NAME")
                .map(v -> v.replace("\"", "").replace("=", "").trim())
                .orElse(System.getProperty("os.name"));
        text.append("; ")
                .append(os)
                .append(" (")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.version"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(')');
        text.append("; Java ")
                .append(Runtime.version())
                .append(" (")
                .append(System.getProperty("java.vm.name"))
                .append(", ")
                .append(System.getProperty("java.vendor"))
                .append("), max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20)
                .append(" MiB");
        try {
            FileStore store = Files.getFileStore(directory);
            text.append("; storage: ").append(store.type()).append(" on ").append(store.name());
        } catch (IOException e) {
            // unknown file system: left out
        }
        return text.toString();
    }

    /** The value after the first {@code key} line of a {@code key: value} or {@code KEY=value} file. */
    private static Optional<String> readLine(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key))
                    .findFirst()
                    .map(l ->
                            l.substring(key.length()).replaceFirst("^\\s*:", "").trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
