/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.batch;

import io.torrin.core.CompleteResult;
import io.torrin.core.TorrinException;
import io.torrin.server.FileUploader;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.storage.local.NamingStrategy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Uploads every regular file below a directory through the direct Java API (no HTTP), with progress output: files
 * one after another, the chunks of each file from several threads, each chunk verified by SHA-256.
 *
 * <p>Usage: {@code java -jar batch-job.jar <source-directory> [target-directory] [threads]} (defaults:
 * {@code ./uploads}, 4); remote mode, through {@link RemoteBatchUpload}: {@code java -jar batch-job.jar --server
 * <url> <source-directory> [threads] [state-directory]} (defaults 4, {@code ./.torrin-batch}). Exit status 0 when
 * every file was uploaded, 1 otherwise.
 */
public final class BatchUpload {

    private BatchUpload() {}

    /**
     * What a run did.
     *
     * @param uploaded files completed
     * @param failed files that failed
     * @param bytes bytes sent
     */
    public record Summary(int uploaded, int failed, long bytes) {}

    /**
     * Lists the files a run looks at: every regular, non-hidden file below a directory, in order (runs skip empty
     * files: the Torrin protocol has no empty uploads).
     *
     * @param source the directory
     * @return the files
     * @throws IOException if the directory cannot be listed
     */
    static List<Path> listFiles(Path source) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Runs the job.
     *
     * @param args source directory, optional target directory and thread count
     * @throws IOException if the source directory cannot be listed
     */
    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("--server")) {
            Path source = Path.of(args[2]);
            int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
            Path state = Path.of(args.length > 4 ? args[4] : ".torrin-batch");
            Summary summary = RemoteBatchUpload.run(source, URI.create(args[1]), threads, state, System.out);
            System.exit(summary.failed() == 0 ? 0 : 1);
        }
        if (args.length < 1) {
            System.err.println("usage: batch-job <source-directory> [target-directory] [threads]");
            System.err.println("       batch-job --server <url> <source-directory> [threads] [state-directory]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path target = Path.of(args.length > 1 ? args[1] : "uploads");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Summary summary = run(source, target, threads, System.out);
        System.exit(summary.failed() == 0 ? 0 : 1);
    }

    /**
     * Uploads every regular, non-hidden file below {@code source} into {@code target}, keeping original names.
     *
     * @param source the directory to upload
     * @param target the storage directory (sessions in {@code <target>/.torrin})
     * @param threads chunks sent at a time per file
     * @param out where progress goes
     * @return what was done
     * @throws IOException if the source directory cannot be listed
     */
    public static Summary run(Path source, Path target, int threads, PrintStream out) throws IOException {
        List<Path> files = listFiles(source);
        LocalStorageDriver storage = LocalStorageDriver.builder(target)
                .naming(NamingStrategy.byOriginalName())
                .build();
        int uploaded = 0;
        int failed = 0;
        long totalBytes = 0;
        try (FileUploadStore store = FileUploadStore.create(target.resolve(".torrin"));
                UploadService service =
                        UploadService.builder().storage(storage).store(store).build()) {
            FileUploader uploader = FileUploader.create(service).threads(threads);
            for (int n = 0; n < files.size(); n++) {
                Path file = files.get(n);
                int position = n + 1;
                String relative = source.relativize(file).toString();
                long size = Files.size(file);
                if (size == 0) {
                    out.printf("[%d/%d] %s: skipped (empty)%n", position, files.size(), relative);
                    continue;
                }
                AtomicLong sent = new AtomicLong();
                try {
                    // snippet:file-uploader
                    CompleteResult result = uploader.upload(
                            file,
                            request -> request.putMetadata("sourcePath", relative),
                            bytes -> out.printf(
                                    "[%d/%d] %s: %3d%%%n",
                                    position, files.size(), relative, 100 * sent.addAndGet(bytes) / size));
                    // end:file-uploader
                    out.printf(
                            "[%d/%d] %s: done -> %s%n",
                            position, files.size(), relative, storage.resolve(result.location()));
                    uploaded++;
                    totalBytes += size;
                } catch (TorrinException e) {
                    out.printf(
                            "[%d/%d] %s: FAILED %s %s%n", position, files.size(), relative, e.code(), e.getMessage());
                    failed++;
                }
            }
        }
        out.printf("%d uploaded, %d failed, %,d bytes%n", uploaded, failed, totalBytes);
        return new Summary(uploaded, failed, totalBytes);
    }
}
