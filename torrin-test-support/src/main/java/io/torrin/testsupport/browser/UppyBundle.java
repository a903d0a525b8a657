/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.browser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The browser bundle of Uppy ({@value #VERSION}), the file-upload widget whose tus plugin wraps tus-js-client: the
 * self-contained ES module {@code dist/uppy.min.mjs} of the npm package {@code uppy}.
 *
 * <p>{@link #install()} finds the bundle in its directory ({@value #DIR_PROPERTY}, else {@value #DIR_ENV}, else
 * {@code target/uppy} below the current directory) or puts it there: it uses the package tarball already in the
 * directory ({@code .ci/run} fetches it with {@code npm pack}) or runs {@code npm pack uppy@}{@value #VERSION}
 * itself, checks the tarball against the registry's pinned SHA-512 ({@link #INTEGRITY}) and extracts the bundle.
 * Runs under a file lock, so several JVMs may share the directory. Thread-safe.
 */
public final class UppyBundle {

    /** The pinned version of the npm package {@code uppy}. */
    public static final String VERSION = "6.0.1";

    /** The npm registry's integrity string of the pinned tarball. */
    public static final String INTEGRITY =
            "sha512-2OONMUNUHGBNkfSjNpWDhleeCeqm2oP+8NJRSxkkFVLmm3BbE7S+XCm45+jp36z7PCRuogtm1FgYPKa0iKbYAQ==";

    /** System property naming the bundle directory. */
    public static final String DIR_PROPERTY = "torrin.uppy.dir";

    /** Environment variable naming the bundle directory, if the property is not set. */
    public static final String DIR_ENV = "TORRIN_UPPY_DIR";

    /** The file name of the bundle inside the directory. */
    public static final String BUNDLE = "uppy.min.mjs";

    private static final String TARBALL = "uppy-" + VERSION + ".tgz";
    private static final String ENTRY = "package/dist/uppy.min.mjs";
    private static final long NPM_TIMEOUT_SECONDS = 300;

    private UppyBundle() {}

    /**
     * Returns the bundle directory.
     *
     * @return the absolute directory, which may not exist yet
     */
    public static Path directory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.dir"), "target", "uppy")
                .toAbsolutePath()
                .normalize();
    }

    /**
     * Makes sure the bundle is in {@link #directory()} and returns its path.
     *
     * @return the path of {@value #BUNDLE}
     * @throws IOException if the tarball cannot be fetched (no npm, no registry), does not match
     *     {@link #INTEGRITY}, or holds no bundle
     */
    public static Path install() throws IOException {
        Path directory = directory();
        Files.createDirectories(directory);
        Path bundle = directory.resolve(BUNDLE);
        Path marker = directory.resolve(BUNDLE + ".version");
        try (FileChannel lockFile = FileChannel.open(
                        directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            if (Files.exists(bundle)
                    && Files.exists(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).equals(INTEGRITY)) {
                return bundle;
            }
            Path tarball = directory.resolve(TARBALL);
            if (!Files.exists(tarball)) {
                npmPack(directory);
            }
            byte[] packed = Files.readAllBytes(tarball);
            String integrity = "sha512-" + Base64.getEncoder().encodeToString(sha512(packed));
            if (!integrity.equals(INTEGRITY)) {
                Files.delete(tarball);
                throw new IOException(
                        tarball + " is not the pinned uppy " + VERSION + ": its integrity is " + integrity);
            }
            Path extracted = directory.resolve(BUNDLE + ".tmp");
            Files.write(extracted, extract(packed, ENTRY));
            Files.move(extracted, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(marker, INTEGRITY, StandardCharsets.UTF_8);
            return bundle;
        }
    }

    private static void npmPack(Path directory) throws IOException {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = List.of(windows ? "npm.cmd" : "npm", "pack", "uppy@" + VERSION, "--silent");
        Path log = directory.resolve("npm-pack.log");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(
                        "`" + String.join(" ", command) + "` did not finish within " + NPM_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("`" + String.join(" ", command) + "` failed with status " + process.exitValue()
                        + ": " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack", e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Returns one file of a gzip-compressed tar archive (POSIX ustar headers; regular files only). */
    static byte[] extract(byte[] tgz, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String entry = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    entry = prefix + "/" + entry;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                byte type = header[156];
                long padded = (size + 511) / 512 * 512;
                if (entry.equals(name) && (type == '0' || type == 0)) {
                    ByteArrayOutputStream content = new ByteArrayOutputStream((int) size);
                    content.write(in.readNBytes((int) size));
                    if (content.size() != size) {
                        throw new IOException("the archive ends inside " + name);
                    }
                    return content.toByteArray();
                }
                in.skipNBytes(padded);
            }
        }
        throw new IOException("no " + name + " in the archive");
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static byte[] sha512(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
