/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks;

import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.Upload;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code client} benchmark's child process: uploads its files at once with {@code torrin-client} and prints the
 * peak heap in use after a full GC, sampled every 100 ms: {@code PEAK <MiB>}.
 */
public final class ClientHeapProbe {

    private ClientHeapProbe() {}

    /**
     * Runs the probe.
     *
     * @param args endpoint, parallelism, chunk size, files
     * @throws Exception if an upload fails
     */
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        int parallel = Integer.parseInt(args[1]);
        long chunk = Long.parseLong(args[2]);
        double[] peak = {0};
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    System.gc();
                    double used = ManagementFactory.getMemoryMXBean()
                                    .getHeapMemoryUsage()
                                    .getUsed()
                            / 1048576.0;
                    synchronized (peak) {
                        peak[0] = Math.max(peak[0], used);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        sampler.setDaemon(true);
        try (TorrinClient client = TorrinClient.builder(endpoint)
                .parallelism(parallel)
                .chunkSize(chunk)
                .resumeStore(ResumeStore.inMemory())
                .build()) {
            sampler.start();
            List<Upload> uploads = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                uploads.add(client.upload(Path.of(args[i])));
            }
            for (Upload upload : uploads) {
                upload.result().join();
            }
        }
        sampler.interrupt();
        sampler.join();
        synchronized (peak) {
            System.out.printf(Locale.ROOT, "PEAK %.1f%n", peak[0]);
        }
    }
}
