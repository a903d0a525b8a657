/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Uploads files with the real JavaScript tus client, the npm package {@code tus-js-client} ({@value
 * #TUS_JS_CLIENT_VERSION}, pinned with a lock file), run under Node ({@code node} 18 or later on the
 * {@code PATH}) by the script {@code upload.mjs} shipped in this package's resources.
 *
 * <p><b>Work directory.</b> The runner copies {@code package.json}, {@code package-lock.json} and
 * {@code upload.mjs} into its work directory and runs {@code npm ci --no-audit --no-fund} there when
 * {@code node_modules} is missing, holds another version, or the lock file changed (the npm registry must be
 * reachable then). This happens once per runner, on first use or on {@link #prepare()}, under a file lock, so
 * several runners and JVMs may share a directory. The {@linkplain #create() default directory} is
 * {@code target/tus-js-client} below the current directory (the module directory under Maven); a build can
 * pre-install it there or point the system property {@value #WORK_DIR_PROPERTY} or the environment variable
 * {@value #WORK_DIR_ENV} at a prepared one.
 *
 * <p><b>Runs.</b> Each call starts one {@code node upload.mjs} process that reads the file into a Buffer (as
 * tus-js-client needs in Node), sends {@code filename} and {@code filetype} metadata plus any given, and prints
 * one event per line; the call returns when it ends. A process that does not end within {@link
 * TusJsClientOptions#timeout(Duration)} (120 seconds by default) is killed, with its child processes, by its handle; a
 * process never outlives its call, even when the call fails. Retries are off by default, so every server error
 * surfaces. {@link #upload} creates, {@link #resume} continues an explicit URL, {@link #resumePrevious} finds the
 * upload in a {@linkplain TusJsClientOptions#urlStorage(Path) URL storage file} ({@code findPreviousUploads}); the two
 * resumes never create a new upload (tus-js-client would otherwise silently start over when the HEAD fails): they
 * fail instead.
 *
 * <p><b>Threads and resources.</b> Thread-safe: calls may run in parallel, each in its own process. The runner
 * holds no process between calls and needs no closing; its work directory is left in place for reuse.
 */
public final class NodeTusClientRunner {

    /** The tus-js-client version pinned in the shipped {@code package.json} and lock file. */
    public static final String TUS_JS_CLIENT_VERSION = "4.3.1";

    /** System property naming the work directory used by {@link #create()}. */
    public static final String WORK_DIR_PROPERTY = "torrin.tusJsClient.dir";

    /** Environment variable naming the work directory used by {@link #create()}, if the property is not set. */
    public static final String WORK_DIR_ENV = "TORRIN_TUS_JS_CLIENT_DIR";

    /** The default time limit of one client run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> RESOURCES = List.of("package.json", "package-lock.json", "upload.mjs");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NODE_VERSION = Pattern.compile("v?(\\d+)\\.\\d+\\.\\d+.*");
    private static final int MIN_NODE_MAJOR = 18;
    private static final Object PREPARE_LOCK = new Object();

    private static volatile Optional<String> nodeVersion;

    private final Path workDir;
    private volatile boolean prepared;

    private NodeTusClientRunner(Path workDir) {
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    /**
     * Creates a runner on the default work directory: {@value #WORK_DIR_PROPERTY}, else {@value #WORK_DIR_ENV},
     * else {@code target/tus-js-client} below the current directory.
     *
     * @return the runner (nothing is installed yet)
     */
    public static NodeTusClientRunner create() {
        return new NodeTusClientRunner(defaultWorkDir());
    }

    /**
     * Creates a runner on a work directory, created if missing.
     *
     * @param workDir where the script and {@code node_modules} go
     * @return the runner (nothing is installed yet)
     */
    public static NodeTusClientRunner create(Path workDir) {
        return new NodeTusClientRunner(Objects.requireNonNull(workDir, "workDir"));
    }

    /**
     * Returns the work directory {@link #create()} uses.
     *
     * @return the absolute directory
     */
    public static Path defaultWorkDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(WORK_DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.dir"), "target", "tus-js-client")
                .toAbsolutePath()
                .normalize();
    }

    /**
     * Tells whether {@code node} 18 or later is on the {@code PATH} (asked once per JVM).
     *
     * @return whether the runner can work, given the npm packages can be installed
     */
    public static boolean isNodeAvailable() {
        return nodeVersion().isPresent();
    }

    /**
     * Returns the version {@code node --version} prints, if it runs and is 18 or later (asked once per JVM).
     *
     * @return the version such as {@code v20.19.0}, or empty
     */
    public static Optional<String> nodeVersion() {
        Optional<String> version = nodeVersion;
        if (version == null) {
            version = probeNode();
            nodeVersion = version;
        }
        return version;
    }

    /**
     * Skips the calling test, with a message saying why, when {@link #isNodeAvailable()} is false.
     */
    public static void assumeNodeAvailable() {
        Assumptions.assumeTrue(
                isNodeAvailable(),
                () -> "the tus-js-client interop test needs node " + MIN_NODE_MAJOR
                        + "+ on the PATH; none found, so it is skipped");
    }

    /**
     * Returns the work directory.
     *
     * @return the absolute directory
     */
    public Path workDir() {
        return workDir;
    }

    /**
     * Copies the script and package files into the work directory and runs {@code npm ci} if needed. Calls after
     * the first successful one return at once. The upload methods call it themselves.
     *
     * @throws IOException if the files cannot be written or {@code npm ci} fails or takes more than 5 minutes
     */
    public void prepare() throws IOException {
        if (prepared) {
            return;
        }
        synchronized (PREPARE_LOCK) {
            if (prepared) {
                return;
            }
            Files.createDirectories(workDir);
            try (FileChannel channel = FileChannel.open(
                    workDir.resolve(".prepare.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock(); // against other JVMs; released when the channel closes
                boolean packagesChanged = false;
                for (String name : RESOURCES) {
                    boolean changed = copyResource(name);
                    packagesChanged |= changed && !name.endsWith(".mjs");
                }
                if (packagesChanged || !installed()) {
                    npmCi();
                }
                if (!installed()) {
                    throw new IOException("npm ci ran in " + workDir + " but node_modules/tus-js-client is not "
                            + TUS_JS_CLIENT_VERSION);
                }
            }
            prepared = true;
        }
    }

    /**
     * Creates an upload at the endpoint and sends the file, or part of it with {@link TusJsClientOptions#stopAfterBytes}.
     *
     * @param endpoint the tus creation endpoint
     * @param file the file
     * @param options the client options
     * @return what the client did
     * @throws TusClientException if the client failed (with its output and the HTTP status if there was one) or
     *     timed out
     * @throws IOException if the runner cannot be prepared or the process cannot start
     */
    public Result upload(URI endpoint, Path file, TusJsClientOptions options) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        return run(endpoint.toString(), file, options, List.of());
    }

    /**
     * Resumes the upload at an explicit URL with a fresh {@code tus.Upload} ({@code uploadUrl} option: HEAD, then
     * PATCH from the server's offset). Never creates a new upload; an unknown URL fails.
     *
     * @param uploadUrl the upload's URL, as printed by an earlier run
     * @param file the same file
     * @param options the client options ({@link TusJsClientOptions#parallelUploads} must be 1)
     * @return what the client did
     * @throws TusClientException if the client failed or timed out
     * @throws IOException if the runner cannot be prepared or the process cannot start
     */
    public Result resume(URI uploadUrl, Path file, TusJsClientOptions options) throws IOException {
        Objects.requireNonNull(uploadUrl, "uploadUrl");
        return run("-", file, options, List.of("--resume-url", uploadUrl.toString()));
    }

    /**
     * Resumes the newest upload of this file found in {@link TusJsClientOptions#urlStorage(Path)} with a fresh
     * {@code tus.Upload} ({@code findPreviousUploads} and {@code resumeFromPreviousUpload}; the fingerprint is
     * tus-js-client's own for Buffers: content of the first 64 KiB, size and endpoint). Resumes parallel uploads
     * too (their partial uploads, then the final concatenation). Never creates a new upload.
     *
     * @param endpoint the same endpoint as the earlier run
     * @param file the same file
     * @param options the client options, with the same URL storage file as the earlier run
     * @return what the client did
     * @throws TusClientException if nothing was found, the client failed or timed out
     * @throws IOException if the runner cannot be prepared or the process cannot start
     */
    public Result resumePrevious(URI endpoint, Path file, TusJsClientOptions options) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        if (options.urlStorage == null) {
            throw new IllegalArgumentException("resumePrevious needs TusJsClientOptions.urlStorage");
        }
        return run(endpoint.toString(), file, options, List.of("--resume-previous"));
    }

    private Result run(String endpoint, Path file, TusJsClientOptions options, List<String> modeArguments)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a regular file: " + file);
        }
        prepare();
        List<String> command = new ArrayList<>(List.of(
                "node",
                workDir.resolve("upload.mjs").toString(),
                endpoint,
                file.toAbsolutePath().toString()));
        command.addAll(options.arguments());
        command.addAll(modeArguments);
        Path runs = Files.createDirectories(workDir.resolve("runs"));
        Path out = Files.createTempFile(runs, "upload-", ".out");
        Path err = Files.createTempFile(runs, "upload-", ".err");
        try {
            Outcome outcome = execute(command, workDir, out, err, options.timeout);
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            if (outcome.timedOut) {
                throw new TusClientException(
                        "tus-js-client did not finish within " + options.timeout + " and was killed; "
                                + describe(command, lines, errors),
                        TusClientException.NO_STATUS,
                        null);
            }
            if (outcome.exitCode != 0) {
                int status = TusClientException.NO_STATUS;
                String message = "exited with status " + outcome.exitCode;
                for (String line : lines) {
                    if (line.startsWith("ERROR ")) {
                        String[] parts = line.split(" ", 3);
                        status = parts[1].equals("-") ? TusClientException.NO_STATUS : Integer.parseInt(parts[1]);
                        message = parts.length > 2 ? parts[2] : message;
                    }
                }
                throw new TusClientException(
                        "tus-js-client failed: " + message + "; " + describe(command, lines, errors), status, null);
            }
            return Result.parse(lines, errors);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String describe(List<String> command, List<String> lines, String errors) {
        return "command: " + String.join(" ", command) + "\n--- output ---\n" + String.join("\n", lines)
                + "\n--- errors ---\n" + errors;
    }

    private boolean copyResource(String name) throws IOException {
        byte[] content;
        try (InputStream in = NodeTusClientRunner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing next to " + NodeTusClientRunner.class.getName());
            }
            content = in.readAllBytes();
        }
        Path target = workDir.resolve(name);
        if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        Path temp = Files.createTempFile(workDir, name, ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private boolean installed() throws IOException {
        Path manifest = workDir.resolve("node_modules/tus-js-client/package.json");
        if (!Files.exists(workDir.resolve("node_modules/.package-lock.json")) || !Files.exists(manifest)) {
            return false;
        }
        Matcher version = VERSION.matcher(Files.readString(manifest, StandardCharsets.UTF_8));
        return version.find() && version.group(1).equals(TUS_JS_CLIENT_VERSION);
    }

    private void npmCi() throws IOException {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = List.of(windows ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund");
        Path log = workDir.resolve("npm-ci.log");
        Outcome outcome = execute(command, workDir, log, log, INSTALL_TIMEOUT);
        if (outcome.timedOut || outcome.exitCode != 0) {
            throw new IOException("`" + String.join(" ", command) + "` in " + workDir
                    + (outcome.timedOut
                            ? " did not finish within " + INSTALL_TIMEOUT + " and was killed"
                            : " failed with status " + outcome.exitCode)
                    + "; its log:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static Optional<String> probeNode() {
        try {
            Path dir = Files.createTempDirectory("node-version");
            Path out = dir.resolve("out");
            try {
                Outcome outcome = execute(List.of("node", "--version"), dir, out, out, VERSION_TIMEOUT);
                String version = Files.readString(out, StandardCharsets.UTF_8).trim();
                Matcher matcher = NODE_VERSION.matcher(version);
                if (outcome.timedOut
                        || outcome.exitCode != 0
                        || !matcher.matches()
                        || Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
                    return Optional.empty();
                }
                return Optional.of(version);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(dir);
            }
        } catch (IOException noNode) {
            return Optional.empty();
        }
    }

    /** Runs a command to its end or its time limit; on any way out, a live process and its children are killed. */
    private static Outcome execute(List<String> command, Path directory, Path out, Path err, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile());
        if (out.equals(err)) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return new Outcome(-1, true);
            }
            return new Outcome(process.exitValue(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + String.join(" ", command));
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private record Outcome(int exitCode, boolean timedOut) {}

    /**
     * One HTTP exchange the client made, as its {@code onAfterResponse} saw it.
     *
     * @param method {@code POST}, {@code HEAD}, {@code PATCH}, {@code DELETE}, or {@code POST(PATCH)} for an
     *     overridden PATCH
     * @param url the request URL
     * @param status the response status
     * @param uploadOffset the response's {@code Upload-Offset}, or -1 if absent
     * @param location the response's {@code Location}, or {@code null}
     */
    public record Exchange(String method, URI url, int status, long uploadOffset, String location) {}

    /**
     * One {@code onChunkComplete} call: a chunk the server acknowledged.
     *
     * @param chunkSize the bytes the chunk added to the offset
     * @param bytesAccepted the (part's) offset afterwards
     * @param bytesTotal the (part's) length, or -1 while deferred
     */
    public record Ack(long chunkSize, long bytesAccepted, long bytesTotal) {}

    /**
     * What a successful run did: it ended with {@code DONE} or, with {@link TusJsClientOptions#stopAfterBytes}, {@code ABORTED}.
     *
     * @param uploadUrl the upload's URL (for a parallel upload: the final one, {@code null} if aborted first)
     * @param offset the upload's offset as last reported by the server; -1 for parallel uploads
     * @param acceptedBytes bytes the server acknowledged during this run (all parts)
     * @param done whether the upload completed; false if it was aborted
     * @param exchanges the HTTP exchanges in order of their responses
     * @param acks the acknowledged chunks in order
     * @param output the script's standard output
     * @param errorOutput the script's standard error (diagnostics)
     */
    public record Result(
            URI uploadUrl,
            long offset,
            long acceptedBytes,
            boolean done,
            List<Exchange> exchanges,
            List<Ack> acks,
            List<String> output,
            String errorOutput) {

        /**
         * Tells whether the run stopped the upload part-way.
         *
         * @return {@code !done()}
         */
        public boolean aborted() {
            return !done;
        }

        static Result parse(List<String> lines, String errors) throws TusClientException {
            URI url = null;
            long offset = -1;
            long accepted = 0;
            Boolean done = null;
            List<Exchange> exchanges = new ArrayList<>();
            List<Ack> acks = new ArrayList<>();
            for (String line : lines) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "URL" -> url = URI.create(parts[1]);
                    case "OFFSET" -> offset = Long.parseLong(parts[1]);
                    case "ACCEPTED" -> accepted = Long.parseLong(parts[1]);
                    case "DONE" -> done = true;
                    case "ABORTED" -> done = false;
                    case "REQUEST" ->
                        exchanges.add(new Exchange(
                                parts[1],
                                URI.create(parts[2]),
                                Integer.parseInt(parts[3]),
                                number(parts[4]),
                                parts[5].equals("-") ? null : parts[5]));
                    case "ACK" ->
                        acks.add(new Ack(Long.parseLong(parts[1]), Long.parseLong(parts[2]), number(parts[3])));
                    default -> {
                        // PREVIOUS and future lines: kept in output
                    }
                }
            }
            if (done == null) {
                throw new TusClientException(
                        "tus-js-client ended without DONE or ABORTED:\n" + String.join("\n", lines)
                                + "\n--- errors ---\n" + errors,
                        TusClientException.NO_STATUS,
                        null);
            }
            return new Result(
                    url, offset, accepted, done, List.copyOf(exchanges), List.copyOf(acks), List.copyOf(lines), errors);
        }

        private static long number(String token) {
            return token.equals("-") ? -1 : Long.parseLong(token);
        }
    }
}
