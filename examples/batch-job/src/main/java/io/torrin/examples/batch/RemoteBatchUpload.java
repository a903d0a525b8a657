/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.UploadListener;
import io.torrin.client.UploadOptions;
import io.torrin.client.UploadProgress;
import io.torrin.client.UploadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The batch job's remote mode: every regular file below a directory goes to a Torrin server through
 * {@link TorrinClient}, one file after another, the chunks of each in parallel. A job killed halfway and started
 * again skips the files it finished (a ledger in the state directory) and resumes the file it was sending (the
 * client's resume store, in the same directory), sending only the chunks the server lacks.
 */
public final class RemoteBatchUpload {

    private RemoteBatchUpload() {}

    /**
     * Uploads every regular, non-hidden, non-empty file below {@code source} to a server.
     *
     * @param source the directory to upload
     * @param server the server's Torrin mount URL
     * @param threads chunks in flight per file
     * @param state where the resume store and the ledger of finished files live
     * @param out where progress goes
     * @return what was done
     * @throws IOException if the directory cannot be listed or the state cannot be written
     */
    public static BatchUpload.Summary run(Path source, URI server, int threads, Path state, PrintStream out)
            throws IOException {
        List<Path> files = BatchUpload.listFiles(source);
        Files.createDirectories(state);
        Path ledger = state.resolve("finished.txt");
        Set<String> finished = Files.exists(ledger)
                ? new HashSet<>(Files.readAllLines(ledger, StandardCharsets.UTF_8))
                : new HashSet<>();
        int uploaded = 0;
        int failed = 0;
        long totalBytes = 0;
        try (TorrinClient client = TorrinClient.builder(server)
                .parallelism(threads)
                .resumeStore(ResumeStore.inDirectory(state.resolve("resume")))
                .build()) {
            for (int n = 0; n < files.size(); n++) {
                Path file = files.get(n);
                String label = "[" + (n + 1) + "/" + files.size() + "] " + source.relativize(file);
                String entry = entry(source, file);
                if (finished.contains(entry)) {
                    out.println(label + ": skipped (already uploaded)");
                    continue;
                }
                if (Files.size(file) == 0) {
                    out.println(label + ": skipped (empty)");
                    continue;
                }
                try {
                    UploadResult result = client.upload(
                                    file,
                                    UploadOptions.builder()
                                            .metadata(
                                                    "sourcePath",
                                                    source.relativize(file).toString())
                                            .listener(new Deciles(label, out))
                                            .build())
                            .result()
                            .join();
                    out.println(label + ": done" + (result.resumed() ? " (resumed)" : "") + " -> " + result.uploadId()
                            + " " + result.location().map(l -> l.get("path")).orElse("?"));
                    Files.writeString(
                            ledger,
                            entry + "\n",
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND,
                            StandardOpenOption.SYNC);
                    uploaded++;
                    totalBytes += result.fileSize();
                } catch (CompletionException e) {
                    out.println(label + ": FAILED " + e.getCause());
                    failed++;
                }
            }
        }
        out.printf("%d uploaded, %d failed, %,d bytes%n", uploaded, failed, totalBytes);
        return new BatchUpload.Summary(uploaded, failed, totalBytes);
    }

    /** A file as the ledger names it: relative path, size and modification time (a changed file is sent again). */
    private static String entry(Path source, Path file) throws IOException {
        return source.relativize(file) + "\t" + Files.size(file) + "\t"
                + Files.getLastModifiedTime(file).toMillis();
    }

    /** Prints a file's progress in steps of 10 %. */
    private static final class Deciles implements UploadListener {
        private final String label;
        private final PrintStream out;
        private int printed = -1;

        Deciles(String label, PrintStream out) {
            this.label = label;
            this.out = out;
        }

        @Override
        public void onStarted(UploadProgress progress, boolean resumed) {
            if (resumed) {
                out.printf("%s: resuming at %d%%%n", label, (int) (progress.fraction() * 100));
            }
        }

        @Override
        public void onChunkAcknowledged(int index, UploadProgress progress) {
            int decile = (int) (progress.fraction() * 10);
            if (decile > printed) {
                printed = decile;
                out.printf("%s: %3d%%%n", label, decile * 10);
            }
        }
    }
}
