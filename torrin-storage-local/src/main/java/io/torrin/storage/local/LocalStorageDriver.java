/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.local;

import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.RangeInputStream;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StagedReadableStorage;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.StoredFile;
import io.torrin.server.spi.support.DirectoryProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StorageDriver} on a local (or mounted) file system.
 *
 * <p>Each upload is one staging file, {@code <base>/.torrin-staging/<uploadId>.part}; chunk {@code i} is written
 * at offset {@code i × chunkSize} with positional writes, so chunks of one upload are written in parallel
 * without coordination. Completing forces the file to disk and links it under its final name in one atomic
 * step (falling back to an atomic rename where hard links are not supported): no bytes are copied, so
 * completion takes the same time for 1 KiB and 100 GiB. The final name comes from a {@link NamingStrategy},
 * chosen when the upload begins, and always lies inside the base directory.
 *
 * <p>Completed files are reported as {@code StorageLocation("local", {"path": <relative path>})}, never with an
 * absolute server path; {@link #resolve(StorageLocation)} turns one into a {@link Path}.
 *
 * <p>Thread-safe. Keep the base directory on one file system (the staging area lives inside it).
 *
 * <pre>{@code
 * LocalStorageDriver storage = LocalStorageDriver.builder(Path.of("./uploads"))
 *     .naming(NamingStrategy.byOriginalName())
 *     .durability(Durability.FSYNC_ON_COMPLETE)
 *     .build();
 * }</pre>
 */
public final class LocalStorageDriver
        implements AppendableStorage, ReadableStorage, StagedReadableStorage, HealthCheck {

    /** The name of the staging directory inside the base directory. */
    public static final String STAGING_DIRECTORY = ".torrin-staging";
    /** The storage-state key of an upload's final path, relative to the base directory. */
    public static final String PATH_KEY = "path";
    /** The storage location type of this driver. */
    public static final String LOCATION_TYPE = "local";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStorageDriver.class);
    private static final int BUFFER_SIZE = 32 * 1024;

    private final Path baseDirectory;
    private final Path stagingDirectory;
    private final NamingStrategy naming;
    private final Durability durability;
    private final BackgroundFlusher flusher;
    private final long minFreeSpace;

    private LocalStorageDriver(Builder builder) throws IOException {
        this.baseDirectory = builder.baseDirectory;
        this.stagingDirectory = baseDirectory.resolve(STAGING_DIRECTORY);
        this.naming = builder.naming;
        this.durability = builder.durability;
        this.minFreeSpace = builder.minFreeSpace;
        this.flusher = durability == Durability.FSYNC_ON_COMPLETE ? new BackgroundFlusher() : null;
        Files.createDirectories(stagingDirectory);
    }

    /**
     * Creates a driver with the default naming ({@link NamingStrategy#byUploadId()}) and durability
     * ({@link Durability#FSYNC_EACH_CHUNK}).
     *
     * @param baseDirectory where completed files go, not null; created if missing
     * @return the driver
     * @throws UncheckedIOException if the directories cannot be created
     */
    public static LocalStorageDriver create(Path baseDirectory) {
        return builder(baseDirectory).build();
    }

    /**
     * Starts a builder.
     *
     * @param baseDirectory where completed files go, not null
     * @return a new builder
     */
    public static Builder builder(Path baseDirectory) {
        return new Builder(baseDirectory);
    }

    /**
     * Returns the base directory.
     *
     * @return the absolute, normalized base directory
     */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /**
     * Returns the file of a completed upload.
     *
     * @param location a location this driver returned, not null
     * @return the absolute path of the file, inside the base directory
     * @throws IllegalArgumentException if the location is not a local one or points outside the base directory
     */
    public Path resolve(StorageLocation location) {
        if (!LOCATION_TYPE.equals(location.type())) {
            throw new IllegalArgumentException("not a local storage location: " + location.type());
        }
        try {
            return inside(location.attribute(PATH_KEY).orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public StorageConstraints constraints() {
        return StorageConstraints.none();
    }

    @Override
    public Map<String, String> begin(UploadSession session) throws IOException {
        String relative;
        try {
            relative = naming.relativePath(session);
            inside(relative);
        } catch (IOException | RuntimeException e) {
            throw new TorrinException(
                    ErrorCode.INVALID_REQUEST, "the file name maps to no safe storage path", Map.of(), e);
        }
        Files.createFile(stagingFile(session.uploadId()));
        return Map.of(PATH_KEY, relative);
    }

    @Override
    public void writeChunk(ChunkWrite write) throws IOException {
        Path staging = stagingFile(write.upload().uploadId());
        long end = write.offset() + write.length();
        try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            long position = write.offset();
            int n;
            while (position < end
                    && (n = write.data().read(buffer, 0, (int) Math.min(buffer.length, end - position))) >= 0) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
            }
            if (durability == Durability.FSYNC_EACH_CHUNK) {
                channel.force(false);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("upload " + write.upload().uploadId() + " has no staging file (aborted?)", e);
        }
        if (flusher != null) {
            flusher.request(staging);
        }
    }

    /**
     * Writes the bytes at their offsets in the staging file, as they arrive; with {@code FSYNC_EACH_CHUNK} forces
     * them before returning (also after a broken-off body, so what arrived counts).
     */
    @Override
    public long append(AppendWrite write) throws IOException {
        Path staging = stagingFile(write.upload().uploadId());
        long count = 0;
        try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            long position = write.offset();
            int n;
            while ((n = write.data().read(buffer, 0, buffer.length)) >= 0) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                count += n;
            }
            if (write.fileSize().isPresent()
                    && channel.size() > write.fileSize().getAsLong()) {
                channel.truncate(write.fileSize().getAsLong());
            }
            if (durability == Durability.FSYNC_EACH_CHUNK) {
                channel.force(false);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("upload " + write.upload().uploadId() + " has no staging file (aborted?)", e);
        }
        if (flusher != null && count > 0) {
            flusher.request(staging);
        }
        return count;
    }

    @Override
    public InputStream open(StorageLocation location) throws IOException {
        return Files.newInputStream(readable(location));
    }

    /**
     * Opens a byte range of a completed file by seeking, not by reading up to it.
     *
     * @param location a location this driver returned, not null
     * @param offset the first byte, at least 0
     * @param length how many bytes, at least 0
     * @return the range's bytes; the caller closes the stream
     * @throws IOException if the file is gone, lies outside the base directory or cannot be read
     */
    @Override
    public InputStream open(StorageLocation location, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(readable(location), StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return RangeInputStream.of(Channels.newInputStream(channel), length);
    }

    /**
     * Describes a completed file: its size, modification time and a version made of both and the file's key
     * (inode), so that a rewritten file gets a new {@code ETag}.
     *
     * @param location a location this driver returned, not null
     * @return the file's description
     * @throws NoSuchFileException if the file is gone
     * @throws IOException if it lies outside the base directory, is not a regular file or cannot be read
     */
    @Override
    public StoredFile stat(StorageLocation location) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(readable(location), BasicFileAttributes.class);
        Instant modified = attributes.lastModifiedTime().toInstant();
        return new StoredFile(
                attributes.size(),
                modified,
                attributes.size() + "-" + modified.getEpochSecond() + "." + modified.getNano() + "-"
                        + Objects.toString(attributes.fileKey(), ""));
    }

    /**
     * Returns the completed file's real path, for containers that send files themselves.
     *
     * @param location a location this driver returned, not null
     * @return the path inside the base directory, or empty if the file is gone or lies outside
     */
    @Override
    public Optional<Path> localFile(StorageLocation location) {
        try {
            return Optional.of(readable(location));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Resolves a completed file for reading: inside the base directory also after following symbolic links (a link
     * planted in the tree cannot lead a download elsewhere), and a regular file.
     */
    private Path readable(StorageLocation location) throws IOException {
        Path real = resolve(location).toRealPath();
        if (!real.startsWith(baseDirectory.toRealPath())) {
            throw new IOException("the stored file lies outside the base directory: " + location);
        }
        if (!Files.isRegularFile(real)) {
            throw new IOException("the stored file is not a regular file: " + location);
        }
        return real;
    }

    @Override
    public InputStream openStaged(StorageUpload upload) throws IOException {
        return Files.newInputStream(stagingFile(upload.uploadId()));
    }

    @Override
    public StorageLocation complete(StorageUpload upload) throws IOException {
        String relative = upload.storageState().get(PATH_KEY);
        Path target = inside(relative == null ? "" : relative);
        Path staging = stagingFile(upload.uploadId());
        long fileSize = upload.session().knownFileSize();
        if (Files.exists(staging)) {
            long size = Files.size(staging);
            if (size != fileSize) {
                throw new IOException("staging file of upload " + upload.uploadId() + " has " + size
                        + " bytes, expected " + fileSize);
            }
            if (durability == Durability.FSYNC_ON_COMPLETE) {
                // with FSYNC_EACH_CHUNK every write was forced before it was acknowledged: nothing is left to force
                try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            Files.createDirectories(target.getParent());
            publish(staging, target);
            Files.deleteIfExists(staging);
            if (durability != Durability.NONE) {
                forceDirectory(target.getParent());
                forceDirectory(stagingDirectory);
            }
        } else if (!(Files.isRegularFile(target) && Files.size(target) == fileSize)) {
            throw new IOException("upload " + upload.uploadId() + " has neither staged nor completed data");
        }
        return new StorageLocation(LOCATION_TYPE, Map.of(PATH_KEY, relative));
    }

    @Override
    public void abort(StorageUpload upload) throws IOException {
        Files.deleteIfExists(stagingFile(upload.uploadId()));
    }

    private void publish(Path staging, Path target) throws IOException {
        try {
            Files.createLink(target, staging);
            return;
        } catch (FileAlreadyExistsException e) {
            if (Files.isSameFile(target, staging)) {
                return;
            }
            throw new IOException("the final file exists already: " + baseDirectory.relativize(target), e);
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Hard links unavailable under {}, renaming instead: {}", baseDirectory, e.toString());
        }
        if (Files.exists(target)) {
            throw new IOException("the final file exists already: " + baseDirectory.relativize(target));
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path stagingFile(String uploadId) {
        if (!UploadIds.isWellFormed(uploadId)) {
            throw new IllegalArgumentException("not a well-formed upload id");
        }
        return stagingDirectory.resolve(uploadId + ".part");
    }

    private Path inside(String relative) throws IOException {
        if (relative.isEmpty()) {
            throw new IOException("empty storage path");
        }
        Path path = baseDirectory.getFileSystem().getPath(relative);
        if (path.isAbsolute() || path.getRoot() != null) {
            throw new IOException("storage path must be relative: " + relative);
        }
        for (Path part : path) {
            String name = part.toString();
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new IOException("storage path must not contain '.' or '..': " + relative);
            }
        }
        if (path.getName(0).toString().startsWith(".torrin")) {
            throw new IOException("storage path must not use Torrin's own entries: " + relative);
        }
        Path resolved = baseDirectory.resolve(path).normalize();
        if (!resolved.startsWith(baseDirectory) || resolved.equals(baseDirectory)) {
            throw new IOException("storage path leaves the base directory: " + relative);
        }
        return resolved;
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Directory {} cannot be forced on this platform: {}", directory, e.toString());
        }
    }

    /**
     * Checks that the base and staging directories take new files and that their file system has at least the
     * configured free space ({@link Builder#minFreeSpace(long)}).
     *
     * @return up with the directory and its free bytes, or down with the reason
     */
    @Override
    public Health checkHealth() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("directory", baseDirectory.toString());
        Optional<String> failure =
                DirectoryProbe.writable(baseDirectory).or(() -> DirectoryProbe.writable(stagingDirectory));
        if (failure.isPresent()) {
            return Health.down(failure.get(), details);
        }
        long free;
        try {
            free = Files.getFileStore(baseDirectory).getUsableSpace();
        } catch (IOException e) {
            return Health.down("cannot read the free space of " + baseDirectory + ": " + e, details);
        }
        details.put("freeBytes", free);
        details.put("minFreeBytes", minFreeSpace);
        if (free < minFreeSpace) {
            return Health.down("only " + free + " bytes free, below the threshold of " + minFreeSpace, details);
        }
        return Health.up(details);
    }

    /** {@return {@code local}} */
    @Override
    public String kind() {
        return "local";
    }

    /** Builds a {@link LocalStorageDriver}. Not thread-safe. */
    public static final class Builder {
        private final Path baseDirectory;
        private NamingStrategy naming = NamingStrategy.byUploadId();
        private Durability durability = Durability.FSYNC_EACH_CHUNK;
        private long minFreeSpace;

        private Builder(Path baseDirectory) {
            this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory")
                    .toAbsolutePath()
                    .normalize();
        }

        /**
         * Sets how final files are named. Default {@link NamingStrategy#byUploadId()}.
         *
         * @param naming the strategy, not null
         * @return this builder
         */
        public Builder naming(NamingStrategy naming) {
            this.naming = Objects.requireNonNull(naming, "naming");
            return this;
        }

        /**
         * Sets when bytes are forced to disk. Default {@link Durability#FSYNC_EACH_CHUNK}.
         *
         * @param durability the policy, not null
         * @return this builder
         */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Sets the free space below which {@link #checkHealth()} reports the storage down. Default 0 (only a
         * full disk, through the probe write, is down).
         *
         * @param bytes the threshold, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minFreeSpace(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("minFreeSpace must not be negative: " + bytes);
            }
            this.minFreeSpace = bytes;
            return this;
        }

        /**
         * Creates the base and staging directories and builds the driver.
         *
         * @return the driver
         * @throws UncheckedIOException if the directories cannot be created
         */
        public LocalStorageDriver build() {
            try {
                return new LocalStorageDriver(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + baseDirectory, e);
            }
        }
    }
}
