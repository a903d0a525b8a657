/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.TorrinTransportException;
import io.torrin.client.Upload;
import io.torrin.client.UploadOptions;
import io.torrin.client.UploadResult;
import io.torrin.core.TorrinException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code torrin upload}: files and directories (recursively), resumed by default. */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = "Uploads files, and the files under directories (their relative paths go into the metadata"
                + " as 'relativePath'). An interrupted upload of the same file is resumed.")
final class UploadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Option(
            names = {"-p", "--parallel"},
            paramLabel = "N",
            defaultValue = "4",
            description = "chunks of one file in flight at once (default: 4)")
    int parallel;

    @Option(
            names = "--files",
            paramLabel = "N",
            defaultValue = "2",
            description = "files uploaded at once (default: 2)")
    int files;

    @Option(
            names = {"-c", "--chunk-size"},
            paramLabel = "SIZE",
            converter = Sizes.class,
            description = "chunk size to ask for, for example 8MB (default: the server's)")
    Long chunkSize;

    @Option(names = "--json", description = "print a JSON summary instead of text")
    boolean json;

    /** How progress is shown. */
    enum ProgressMode {
        auto,
        bars,
        lines
    }

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "bars (redrawn in place), lines (a line per finished file) or auto: bars on a terminal"
                    + " (default: auto)")
    ProgressMode progressMode;

    @Option(names = "--no-resume", description = "start every file over instead of resuming")
    boolean noResume;

    @Option(
            names = "--resume-dir",
            paramLabel = "DIR",
            description = "where upload ids are remembered for resuming (default: ~/.torrin/resume)")
    Path resumeDirectory;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or directories")
    List<Path> paths;

    /** One file to send, and the name its directory gave it. */
    record Item(Path file, String relativePath) {}

    @Override
    public Integer call() throws Exception {
        if (parallel < 1 || files < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel and --files must be at least 1");
        }
        List<Item> items = collect();
        ResumeStore resume = noResume
                ? ResumeStore.inMemory()
                : resumeDirectory == null ? ResumeStore.defaultStore() : ResumeStore.inDirectory(resumeDirectory);
        TorrinClient.Builder builder =
                server.client(spec, server.server, resume).parallelism(parallel);
        if (chunkSize != null) {
            builder.chunkSize(chunkSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean bars =
                progressMode == ProgressMode.bars || (progressMode == ProgressMode.auto && System.console() != null);
        Progress progress = Progress.create(out, bars, json);
        List<Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        try (TorrinClient client = builder.build()) {
            Semaphore slots = new Semaphore(files);
            List<Upload> running = new ArrayList<>();
            for (Item item : items) {
                slots.acquire();
                UploadOptions.Builder options = UploadOptions.builder();
                if (item.relativePath() != null) {
                    options.metadata("relativePath", item.relativePath());
                }
                Upload upload = client.upload(item.file(), options.build());
                upload.result().whenComplete((result, error) -> slots.release());
                running.add(upload);
                progress.started(upload);
            }
            for (Upload upload : running) {
                outcomes.add(await(upload, progress));
            }
        } finally {
            progress.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            out.println(summary(outcomes, seconds));
        } else {
            long uploaded = outcomes.stream().filter(o -> o.error == null).count();
            long bytes = outcomes.stream()
                    .filter(o -> o.error == null)
                    .mapToLong(o -> o.result.fileSize())
                    .sum();
            out.printf(
                    Locale.ROOT,
                    "%d of %d files uploaded, %s in %.1f s%n",
                    uploaded,
                    outcomes.size(),
                    Sizes.format(bytes),
                    seconds);
        }
        out.flush();
        return exitCode(outcomes);
    }

    private List<Item> collect() throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .sorted()
                            .forEach(file -> items.add(new Item(
                                    file, path.relativize(file).toString().replace('\\', '/'))));
                }
            } else if (Files.isRegularFile(path)) {
                items.add(new Item(path, null));
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file or directory: " + path);
            }
        }
        return items;
    }

    /** What happened to one file: its result, or the error. */
    private record Outcome(Path file, UploadResult result, Throwable error) {}

    private static Outcome await(Upload upload, Progress progress) throws InterruptedException {
        try {
            UploadResult result = upload.result().get();
            progress.finished(upload, result, null);
            return new Outcome(upload.file(), result, null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            progress.finished(upload, null, cause);
            return new Outcome(upload.file(), null, cause);
        }
    }

    static String describe(Throwable error) {
        if (error instanceof TorrinException torrin) {
            return torrin.code() + ": " + torrin.getMessage();
        }
        if (error instanceof TorrinTransportException) {
            return "server unreachable: " + error.getMessage();
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static int exitCode(List<Outcome> outcomes) {
        boolean unreachable = outcomes.stream().anyMatch(o -> o.error instanceof TorrinTransportException);
        boolean failed = outcomes.stream().anyMatch(o -> o.error != null);
        return unreachable ? ExitCode.UNREACHABLE : failed ? ExitCode.FAILED : ExitCode.OK;
    }

    private static String summary(List<Outcome> outcomes, double seconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("files");
        long bytes = 0;
        int uploaded = 0;
        for (Outcome outcome : outcomes) {
            ObjectNode file = list.addObject().put("path", outcome.file.toString());
            if (outcome.error == null) {
                uploaded++;
                bytes += outcome.result.fileSize();
                file.put("status", "uploaded")
                        .put("uploadId", outcome.result.uploadId())
                        .put("size", outcome.result.fileSize())
                        .put("sha256", outcome.result.sha256())
                        .put("resumed", outcome.result.resumed())
                        .put("bytesSent", outcome.result.bytesSent());
                outcome.result.location().ifPresent(location -> file.set("location", json.valueToTree(location)));
            } else {
                file.put("status", "failed").put("error", describe(outcome.error));
                if (outcome.error instanceof TorrinException torrin) {
                    file.put("code", torrin.code().name());
                }
            }
        }
        root.put("uploaded", uploaded)
                .put("failed", outcomes.size() - uploaded)
                .put("bytes", bytes)
                .put("seconds", Math.round(seconds * 1000) / 1000.0);
        return root.toString();
    }
}
