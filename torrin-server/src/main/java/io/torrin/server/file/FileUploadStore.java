/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import io.torrin.core.ChunkSet;
import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadState;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.UploadLocks;
import io.torrin.server.spi.UploadProgress;
import io.torrin.server.spi.UploadRecord;
import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.AbstractUploadStore;
import io.torrin.server.spi.support.DirectoryProbe;
import io.torrin.server.spi.support.GroupCommit;
import io.torrin.server.spi.support.LocalUploadLocks;
import io.torrin.server.spi.support.UploadRecordCodec;
import io.torrin.server.spi.support.UploadStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable embedded {@link UploadStore}: sessions in a directory on local disk, no server needed. The default
 * choice for a single application instance.
 *
 * <p>Layout and guarantees:
 * <ul>
 *   <li>{@code <id>.session.json} holds the session as created; it is written once, atomically (a temporary file,
 *       forced, renamed), so a crash leaves either no session or the whole one. The upload's logs are created empty
 *       in the same step, so that the directory is forced once per upload, at creation, and never again.</li>
 *   <li>{@code <id>.state} is an append-only log of the session's later versions (a state change such as
 *       completion or cancellation, a size declared later): each record is its length, the whole encoded session
 *       and a CRC32C; the last intact one counts. A state change therefore costs one forced append to an existing
 *       file, not a new file, a rename and a directory flush.</li>
 *   <li>{@code <id>.chunks} is an append-only log of received chunks, 16 bytes per chunk (index, expiry,
 *       CRC32C). A torn last record, from a crash in the middle of an append, fails its checksum and is cut
 *       off when the store is opened again; every record before it counts. Concurrent marks of one upload are
 *       group-committed ({@link GroupCommit}): the marks that arrive while the log is being forced are appended
 *       together and share the next force, and each mark returns (and shows in {@link #find}) only after the force
 *       that holds it.</li>
 *   <li>{@code <id>.offsets} is the same for append uploads (tus): 20 bytes per advance (offset, expiry, CRC32C),
 *       so an advance costs one small append, not a rewrite of the session file (which happens only when a size
 *       is declared).</li>
 *   <li>With {@code fsync} on (the default) a method returns only after its data and, for new files, the
 *       directory entry are forced to disk, so an acknowledged chunk survives a power loss as well as a
 *       {@code kill -9}. With it off, a process kill is still survived (the OS has the data) but a power loss
 *       may lose the latest marks, never corrupt older ones.</li>
 *   <li>One process at a time: the store holds an OS file lock on {@code store.lock} while it is open.</li>
 * </ul>
 * All sessions are read into memory when the store opens (a few hundred bytes plus one bit per chunk each);
 * reads are served from memory, writes go through to disk.
 *
 * <p>Thread-safe. Close it to release the directory lock.
 *
 * <pre>{@code
 * UploadStore store = FileUploadStore.create(Path.of("./uploads/.torrin"));
 * }</pre>
 */
public final class FileUploadStore extends AbstractUploadStore implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(FileUploadStore.class);
    private static final String SESSION_SUFFIX = ".session.json";
    private static final String CHUNKS_SUFFIX = ".chunks";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String LOCK_FILE = "store.lock";
    private static final int LOG_RECORD_BYTES = ChunkMarks.RECORD_BYTES;
    private static final String OFFSETS_SUFFIX = ".offsets";
    private static final String STATE_SUFFIX = ".state";
    /** The most marks one group commit appends at once. */
    private static final int MAX_MARK_BATCH = 256;

    private static final int OFFSET_RECORD_BYTES = 20;

    private final Path directory;
    private final RecordFiles files;
    private final FileChannel lockChannel;
    private final FileLock directoryLock;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final UploadLocks locks = LocalUploadLocks.create();
    private final LongAdder markBatches = new LongAdder();
    private final LongAdder markedInBatches = new LongAdder();

    private FileUploadStore(Path directory, boolean fsync) throws IOException {
        this.directory = directory;
        this.files = new RecordFiles(directory, fsync);
        Files.createDirectories(directory);
        this.lockChannel =
                FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("the upload store " + directory + " is open in another store instance");
        }
        this.directoryLock = lock;
        try {
            load();
        } catch (IOException | RuntimeException e) {
            directoryLock.release();
            lockChannel.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) a store in a directory, with {@code fsync} on.
     *
     * @param directory the directory, not null; created if missing
     * @return the open store
     * @throws UncheckedIOException if the directory cannot be created or read
     * @throws IllegalStateException if another store instance, in this or another process, has it open
     */
    public static FileUploadStore create(Path directory) {
        return builder(directory).build();
    }

    /**
     * Checks that the store's directory takes new files (session files are written atomically through new files).
     *
     * @return up with the directory, or down with the reason
     */
    @Override
    public Health checkHealth() {
        Map<String, Object> details = Map.of("directory", directory.toString());
        return DirectoryProbe.writable(directory)
                .map(reason -> Health.down(reason, details))
                .orElseGet(() -> Health.up(details));
    }

    /**
     * Starts a builder for a store in a directory.
     *
     * @param directory the directory, not null
     * @return a new builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Returns the directory the store lives in.
     *
     * @return the directory, absolute and normalized
     */
    public Path directory() {
        return directory;
    }

    @Override
    protected void doCreate(UploadRecord record) {
        String id = checkId(record.uploadId());
        Entry entry = new Entry(record);
        if (entries.putIfAbsent(id, entry) != null) {
            throw new IllegalStateException("upload exists: " + id);
        }
        synchronized (entry) {
            try {
                boolean offsets = record.progress() instanceof UploadProgress.Offset;
                RecordFiles.createIfMissing(offsets ? offsetLog(id) : chunkLog(id));
                RecordFiles.createIfMissing(stateLog(id));
                writeSession(record);
                entry.logExists = true;
                entry.stateLogExists = true;
            } catch (IOException e) {
                entry.removed = true;
                entries.remove(id, entry);
                throw storageError("cannot save upload " + id, e);
            }
        }
    }

    @Override
    protected Optional<UploadRecord> doFind(String uploadId) {
        Entry entry = entries.get(uploadId);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.current());
    }

    @Override
    protected boolean doMarkChunkReceived(String uploadId, int index, Instant expiresAt) {
        return existing(uploadId).marks.submit(new ChunkMarks.Mark(index, expiresAt));
    }

    /**
     * Commits a batch of one upload's marks: applies them in order to the record, appends the records of the new
     * ones in one write, forces the log once, and only then publishes the new record and the outcomes.
     */
    private void commitMarks(Entry entry, GroupCommit.Batch<ChunkMarks.Mark, Boolean> batch) {
        synchronized (entry) {
            String uploadId = entry.record.uploadId();
            if (entry.removed) {
                batch.failOpen(i -> UploadStores.notFound(uploadId));
                return;
            }
            ChunkMarks.Applied applied = ChunkMarks.apply(entry.record, batch);
            if (applied.isEmpty()) {
                return;
            }
            try {
                files.append(chunkLog(uploadId), applied.records(), !entry.logExists);
                entry.logExists = true;
            } catch (IOException e) {
                // the open marks are the new ones: the others were answered by apply
                batch.failOpen(i -> storageError(
                        "cannot record chunk " + batch.items().get(i).index() + " of upload " + uploadId, e));
                return;
            }
            entry.record = applied.record();
            markedInBatches.add(applied.succeed(batch));
            markBatches.increment();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>This store appends a 20-byte record to the upload's offset log for each advance (forced when
     * {@code fsync} is on), and the whole session to its state log only when a size is declared.
     */
    @Override
    protected boolean doAdvanceOffset(
            String uploadId, long expectedOffset, long newOffset, OptionalLong fileSize, Instant expiresAt) {
        Entry entry = existing(uploadId);
        synchronized (entry) {
            if (entry.removed) {
                throw UploadStores.notFound(uploadId);
            }
            Optional<UploadRecord> next =
                    UploadStores.advance(entry.record, expectedOffset, newOffset, fileSize, expiresAt);
            if (next.isEmpty()) {
                return false;
            }
            try {
                if (fileSize.isPresent()) {
                    appendState(entry, next.get());
                } else {
                    appendOffset(uploadId, newOffset, next.get().session().expiresAt(), !entry.logExists);
                    entry.logExists = true;
                }
            } catch (IOException e) {
                throw storageError("cannot record the offset of upload " + uploadId, e);
            }
            entry.record = next.get();
            return true;
        }
    }

    @Override
    protected boolean doTransition(
            String uploadId,
            UploadState expected,
            UploadState next,
            Instant expiresAt,
            Optional<StorageLocation> location) {
        Entry entry = entries.get(uploadId);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            UploadRecord record = entry.record;
            if (entry.removed || record.session().state() != expected) {
                return false;
            }
            UploadRecord changed = record.withTransition(record.session().withState(next, expiresAt), location);
            try {
                appendState(entry, changed);
            } catch (IOException e) {
                throw storageError("cannot save upload " + uploadId, e);
            }
            entry.record = changed;
            return true;
        }
    }

    @Override
    protected boolean doDelete(String uploadId) {
        Entry entry = entries.get(uploadId);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            if (entry.removed) {
                return false;
            }
            try {
                Files.deleteIfExists(sessionFile(uploadId));
                Files.deleteIfExists(chunkLog(uploadId));
                Files.deleteIfExists(offsetLog(uploadId));
                Files.deleteIfExists(stateLog(uploadId));
            } catch (IOException e) {
                throw storageError("cannot delete upload " + uploadId, e);
            }
            entry.removed = true;
            entries.remove(uploadId, entry);
            return true;
        }
    }

    @Override
    protected List<UploadRecord> doFindExpired(Instant now, int limit) {
        return entries.values().stream()
                .map(Entry::current)
                .filter(record ->
                        record != null && !record.session().expiresAt().isAfter(now))
                .sorted(Comparator.comparing(record -> record.session().expiresAt()))
                .limit(limit)
                .toList();
    }

    @Override
    public UploadLocks locks() {
        return locks;
    }

    @Override
    protected void doClose() {
        try {
            directoryLock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock of upload store {}", directory, e);
        }
    }

    private void load() throws IOException {
        Set<String> sessionIds = new HashSet<>();
        Set<String> logIds = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SESSION_SUFFIX)) {
                    sessionIds.add(name.substring(0, name.length() - SESSION_SUFFIX.length()));
                } else if (name.endsWith(CHUNKS_SUFFIX)) {
                    logIds.add(name.substring(0, name.length() - CHUNKS_SUFFIX.length()));
                } else if (name.endsWith(OFFSETS_SUFFIX)) {
                    logIds.add(name.substring(0, name.length() - OFFSETS_SUFFIX.length()));
                } else if (name.endsWith(STATE_SUFFIX)) {
                    logIds.add(name.substring(0, name.length() - STATE_SUFFIX.length()));
                }
            }
        }
        for (String id : sessionIds) {
            UploadRecord record;
            try {
                byte[] latest = files.replayFramed(stateLog(id), id);
                record = UploadRecordCodec.decode(
                        latest != null ? latest : Files.readAllBytes(sessionFile(id)), Optional.empty());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable upload session {} in {}: {}", id, directory, e.getMessage());
                continue;
            }
            if (!record.uploadId().equals(id)) {
                LOG.warn("Skipping upload session file {} in {}: it holds upload {}", id, directory, record.uploadId());
                continue;
            }
            Entry entry = new Entry(
                    record.progress() instanceof UploadProgress.Offset offset
                            ? replayOffsetLog(record, offset.bytes())
                            : replayChunkLog(record));
            entry.logExists =
                    Files.exists(record.progress() instanceof UploadProgress.Offset ? offsetLog(id) : chunkLog(id));
            entry.stateLogExists = Files.exists(stateLog(id));
            entries.put(id, entry);
        }
        for (String id : logIds) {
            if (!sessionIds.contains(id)) {
                Files.deleteIfExists(chunkLog(id));
                Files.deleteIfExists(offsetLog(id));
                Files.deleteIfExists(stateLog(id));
            }
        }
    }

    private UploadRecord replayChunkLog(UploadRecord record) throws IOException {
        int total = record.session().totalChunks();
        BitSet received = new BitSet(total);
        long latestExpiry = files.replay(chunkLog(record.uploadId()), LOG_RECORD_BYTES, record.uploadId(), entry -> {
            int index = entry.getInt(0);
            if (index < 0 || index >= total) {
                return false;
            }
            received.set(index);
            return true;
        });
        if (latestExpiry == RecordFiles.NO_RECORDS) {
            return record;
        }
        ChunkSet chunks = ChunkSet.fromByteArray(total, received.toByteArray());
        var session = record.session();
        if (chunks.count() > 0 && session.state().isActive()) {
            session = UploadStores.afterMark(session, Instant.ofEpochMilli(latestExpiry));
        }
        return record.withProgress(session, new UploadProgress.Chunks(chunks));
    }

    private UploadRecord replayOffsetLog(UploadRecord record, long recordedOffset) throws IOException {
        long[] offset = {recordedOffset};
        long latestExpiry =
                files.replay(offsetLog(record.uploadId()), OFFSET_RECORD_BYTES, record.uploadId(), entry -> {
                    long recorded = entry.getLong(0);
                    offset[0] = Math.max(offset[0], recorded);
                    return recorded >= 0;
                });
        if (latestExpiry == RecordFiles.NO_RECORDS) {
            return record;
        }
        var session = record.session();
        long replayed = Math.min(offset[0], session.fileSize().orElse(Long.MAX_VALUE));
        if (replayed > recordedOffset && session.state().isActive()) {
            session = UploadStores.afterMark(session, Instant.ofEpochMilli(latestExpiry));
        }
        return record.withProgress(session, new UploadProgress.Offset(replayed));
    }

    private void appendOffset(String uploadId, long offset, Instant expiresAt, boolean maybeNewFile)
            throws IOException {
        ByteBuffer record =
                ByteBuffer.allocate(OFFSET_RECORD_BYTES).putLong(offset).putLong(expiresAt.toEpochMilli());
        files.append(offsetLog(uploadId), RecordFiles.withChecksum(record), maybeNewFile);
    }

    private void writeSession(UploadRecord record) throws IOException {
        files.replace(sessionFile(record.uploadId()), UploadRecordCodec.encode(record));
    }

    private void appendState(Entry entry, UploadRecord record) throws IOException {
        files.appendFramed(stateLog(record.uploadId()), UploadRecordCodec.encode(record), !entry.stateLogExists);
        entry.stateLogExists = true;
    }

    private Path stateLog(String id) {
        return directory.resolve(id + STATE_SUFFIX);
    }

    private Path sessionFile(String id) {
        return directory.resolve(id + SESSION_SUFFIX);
    }

    private Path offsetLog(String id) {
        return directory.resolve(id + OFFSETS_SUFFIX);
    }

    private Path chunkLog(String id) {
        return directory.resolve(id + CHUNKS_SUFFIX);
    }

    private static String checkId(String id) {
        if (!UploadIds.isWellFormed(id)) {
            throw new IllegalArgumentException("not a well-formed upload id: " + id);
        }
        return id;
    }

    private Entry existing(String uploadId) {
        Entry entry = entries.get(uploadId);
        if (entry == null) {
            throw UploadStores.notFound(uploadId);
        }
        return entry;
    }

    /** Runs {@code action} holding the upload's monitor, which every write of the upload takes; for tests. */
    void whileLocked(String uploadId, Runnable action) {
        Entry entry = existing(uploadId);
        synchronized (entry) {
            action.run();
        }
    }

    /** Forces issued so far (log appends, session files, the directory); for tests. */
    long forces() {
        return files.forces();
    }

    /** Log appends of chunk marks so far and the new marks they held, as {@code {appends, marks}}; for tests. */
    long[] markCommits() {
        return new long[] {markBatches.sum(), markedInBatches.sum()};
    }

    @Override
    public String toString() {
        return "FileUploadStore[" + directory + "]";
    }

    private static TorrinException storageError(String message, IOException cause) {
        return new TorrinException(ErrorCode.STORAGE_ERROR, message, Map.of(), cause);
    }

    private final class Entry {
        volatile UploadRecord record;
        volatile boolean removed;
        /** Whether the upload's chunk or offset log exists (created with it, or found); guarded by the entry. */
        boolean logExists;
        /** Whether the upload's state log exists; guarded by the entry. */
        boolean stateLogExists;
        /** The group commit of this upload's chunk marks. */
        final GroupCommit<ChunkMarks.Mark, Boolean> marks =
                new GroupCommit<>(batch -> commitMarks(this, batch), MAX_MARK_BATCH);

        Entry(UploadRecord record) {
            this.record = record;
        }

        UploadRecord current() {
            return removed ? null : record;
        }
    }

    /** Builds a {@link FileUploadStore}. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private boolean fsync = true;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory")
                    .toAbsolutePath()
                    .normalize();
        }

        /**
         * Sets whether writes are forced to disk before methods return. Default {@code true}.
         *
         * @param fsync {@code false} to survive process kills but not power loss, for speed
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws UncheckedIOException if the directory cannot be created or read
         * @throws IllegalStateException if another store instance has the directory open
         */
        public FileUploadStore build() {
            try {
                return new FileUploadStore(directory, fsync);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open upload store " + directory, e);
            }
        }
    }
}
