/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file's upload: find or create the upload on the server, hash the file's chunks, send the missing ones from
 * {@code parallelism} workers, complete. All state changes happen under this object's monitor; requests and file
 * reads happen outside it.
 */
final class UploadTask {

    private static final Logger LOG = LoggerFactory.getLogger(UploadTask.class);
    private static final int READ_BUFFER = 64 * 1024;

    private final Path file;
    private final UploadOptions options;
    private final Wire wire;
    private final ResumeStore resumeStore;
    private final Executor executor;
    private final int parallelism;
    private final Long desiredChunkSize;
    private final CompletableFuture<UploadResult> result = new CompletableFuture<>();
    private final Object listenerLock = new Object();
    private final Wire.Calls calls;
    private final AtomicLong bytesSent = new AtomicLong();
    private final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();

    // guarded by this
    private Upload.State state = Upload.State.PREPARING;
    private boolean pauseRequested;
    private boolean cancelRequested;
    private Throwable failure;
    private int activeWorkers;
    private String uploadId;
    private boolean resumed;
    private long fileSize;
    private long chunkSize;
    private int totalChunks;
    private int chunksAcknowledged;
    private long bytesAcknowledged;
    private long runBytesAcknowledged;
    private long sendingSince;

    // set once before the workers start
    private ResumeKey key;
    private volatile CompletableFuture<String> fileHash;
    private FileChannel channel;

    UploadTask(
            Path file,
            UploadOptions options,
            Wire wire,
            ResumeStore resumeStore,
            Executor executor,
            int parallelism,
            Long desiredChunkSize) {
        this.file = file;
        this.options = options;
        this.wire = wire;
        this.resumeStore = resumeStore;
        this.executor = executor;
        this.parallelism = parallelism;
        this.desiredChunkSize = desiredChunkSize;
        this.calls = Wire.Calls.create(this::stopping, this::retrying);
    }

    void start() {
        executor.execute(this::prepare);
    }

    Path file() {
        return file;
    }

    CompletableFuture<UploadResult> result() {
        return result;
    }

    synchronized Upload.State state() {
        return state;
    }

    synchronized Optional<String> uploadId() {
        return Optional.ofNullable(uploadId);
    }

    synchronized UploadProgress progress() {
        double seconds = sendingSince == 0 ? 0 : (System.nanoTime() - sendingSince) / 1e9;
        double rate = seconds <= 0 ? 0 : runBytesAcknowledged / seconds;
        Duration eta = rate <= 0 ? null : Duration.ofMillis((long) ((fileSize - bytesAcknowledged) / rate * 1000));
        return new UploadProgress(
                uploadId, fileSize, bytesAcknowledged, totalChunks, chunksAcknowledged, bytesSent.get(), rate, eta);
    }

    synchronized void pause() {
        if (state == Upload.State.PREPARING || state == Upload.State.RUNNING) {
            pauseRequested = true;
        }
    }

    void resume() {
        synchronized (this) {
            if (cancelRequested || failure != null) {
                return;
            }
            pauseRequested = false;
            if (state != Upload.State.PAUSED) {
                return; // still preparing or draining: the workers see the cleared flag and go on
            }
            state = Upload.State.RUNNING;
        }
        startWorkers();
    }

    void cancel() {
        boolean finishNow;
        synchronized (this) {
            if (state.isFinal() || cancelRequested) {
                return;
            }
            cancelRequested = true;
            finishNow = state == Upload.State.PAUSED;
        }
        calls.cancelAll();
        if (finishNow) {
            executor.execute(this::finishCanceled);
        }
    }

    private synchronized boolean stopping() {
        return cancelRequested || pauseRequested || failure != null;
    }

    private void retrying(String what, int failedAttempts, Throwable cause, Duration delay) {
        LOG.debug("{} of {} failed ({}), retrying in {} ms", what, file, cause.toString(), delay.toMillis());
        notify(listener -> listener.onRetry(what, failedAttempts, cause, delay));
    }

    // ---------------------------------------------------------------- preparing

    private void prepare() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IllegalArgumentException("not a regular file: " + file);
            }
            if (attributes.size() == 0) {
                throw new IllegalArgumentException(
                        "the Torrin protocol has no empty uploads (fileSize must be at least 1): " + file);
            }
            key = new ResumeKey(
                    wire.endpoint(),
                    file.toAbsolutePath().normalize(),
                    attributes.size(),
                    attributes.lastModifiedTime().toMillis());
            synchronized (this) {
                fileSize = attributes.size();
            }
            List<Integer> missing = findOrCreate();
            channel = FileChannel.open(file, StandardOpenOption.READ);
            fileHash = totalChunks == 1 ? null : hashFile(); // one chunk: its hash is the file's
            boolean pausedAlready;
            synchronized (this) {
                sendingSince = System.nanoTime();
                queue.addAll(missing);
                pausedAlready = pauseRequested;
                state = pausedAlready ? Upload.State.PAUSED : Upload.State.RUNNING;
            }
            UploadProgress progress = progress();
            notify(listener -> listener.onStarted(progress, resumed));
            if (pausedAlready) {
                notify(listener -> listener.onPaused(progress));
                return;
            }
            if (missing.isEmpty()) {
                executor.execute(this::complete);
            } else {
                startWorkers();
            }
        } catch (Wire.Abandoned e) {
            afterAbandonedPreparation();
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Asks the server about a remembered upload; creates a new one when there is none or it is gone. */
    private List<Integer> findOrCreate() throws IOException {
        Optional<String> remembered = resumeStore.find(key);
        if (remembered.isPresent()) {
            try {
                RemoteStatus status = TorrinClient.status(wire.status(remembered.get(), calls));
                if (status.fileSize() == key.size() && (status.isOpen() || status.isCompleted())) {
                    synchronized (this) {
                        uploadId = status.uploadId();
                        resumed = true;
                        chunkSize = status.chunkSize();
                        totalChunks = status.totalChunks();
                        chunksAcknowledged = status.receivedChunks().size();
                        bytesAcknowledged = status.receivedChunks().stream()
                                .mapToLong(this::chunkLength)
                                .sum();
                    }
                    return status.isCompleted() ? List.of() : status.missingChunks();
                }
                LOG.info(
                        "upload {} of {} cannot be resumed ({}), starting over",
                        status.uploadId(),
                        file,
                        status.status());
            } catch (TorrinException e) {
                if (e.statusCode() != 404 && e.statusCode() != 410 && e.code() != ErrorCode.UPLOAD_CANCELED) {
                    throw e;
                }
                LOG.info(
                        "upload {} of {} is gone from the server ({}), starting over",
                        remembered.get(),
                        file,
                        e.code());
            }
            resumeStore.remove(key);
        }
        ObjectNode body = Wire.JSON.createObjectNode().put("fileSize", key.size());
        body.put("fileName", options.fileName().orElse(file.getFileName().toString()));
        options.mimeType().ifPresent(type -> body.put("mimeType", type));
        if (!options.metadata().isEmpty()) {
            ObjectNode metadata = body.putObject("metadata");
            options.metadata().forEach(metadata::put);
        }
        if (desiredChunkSize != null) {
            body.put("desiredChunkSize", desiredChunkSize);
        }
        JsonNode created = wire.init(body, calls);
        String id = created.path("uploadId").asText(null);
        long size = created.path("chunkSize").asLong();
        int total = created.path("totalChunks").asInt();
        if (id == null || size <= 0 || total <= 0 || (key.size() + size - 1) / size != total) {
            throw new TorrinTransportException("the server's answer to create is not the Torrin protocol", null);
        }
        synchronized (this) {
            uploadId = id;
            chunkSize = size;
            totalChunks = total;
        }
        resumeStore.save(key, id);
        List<Integer> all = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            all.add(i);
        }
        return all;
    }

    /**
     * The whole file's SHA-256, computed on one worker while the others send chunks (it is needed only to
     * complete); each chunk's own SHA-256 is computed by the worker that sends it, just before it does.
     */
    private CompletableFuture<String> hashFile() {
        CompletableFuture<String> hash = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                hash.complete(sha256(0, key.size()));
            } catch (Throwable e) {
                hash.completeExceptionally(e);
            }
        });
        return hash;
    }

    private String sha256(long offset, long length) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        for (long position = offset, end = offset + length; position < end; ) {
            if (stoppingForGood()) {
                throw new Wire.Abandoned();
            }
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("the file became shorter while it was read: " + file);
            }
            buffer.flip();
            digest.update(buffer);
            position += read;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private synchronized boolean stoppingForGood() {
        return cancelRequested || failure != null;
    }

    private void afterAbandonedPreparation() {
        synchronized (this) {
            if (!cancelRequested) {
                return; // a failure is already reported
            }
        }
        finishCanceled();
    }

    // ---------------------------------------------------------------- sending

    private void startWorkers() {
        int start;
        synchronized (this) {
            start = Math.max(0, Math.min(parallelism, queue.size()) - activeWorkers);
            activeWorkers += start;
        }
        for (int i = 0; i < start; i++) {
            executor.execute(this::work);
        }
    }

    private void work() {
        try {
            for (Integer index = nextIndex(); index != null; index = nextIndex()) {
                try {
                    send(index);
                } catch (Wire.Abandoned e) {
                    queue.add(index);
                    break;
                }
            }
        } catch (Throwable e) {
            recordFailure(e);
        } finally {
            workerDone();
        }
    }

    private Integer nextIndex() {
        return stopping() ? null : queue.poll();
    }

    private void send(int index) throws IOException {
        long offset = index * chunkSize;
        long length = chunkLength(index);
        String hash = sha256(offset, length);
        if (totalChunks == 1) {
            fileHash = CompletableFuture.completedFuture(hash);
        }
        JsonNode answer =
                wire.chunk(uploadId, index, hash, new RangePublisher(channel, offset, length, bytesSent), calls);
        if (answer.path("receivedIndex").asInt(-1) != index) {
            throw new TorrinTransportException("the server acknowledged another chunk than " + index, null);
        }
        synchronized (this) {
            chunksAcknowledged++;
            bytesAcknowledged += length;
            runBytesAcknowledged += length;
        }
        UploadProgress progress = progress();
        notify(listener -> listener.onChunkAcknowledged(index, progress));
    }

    private synchronized void recordFailure(Throwable e) {
        if (failure == null && !cancelRequested) {
            failure = e;
        }
    }

    /** The last worker to stop decides what happens next: complete, pause, cancel or fail. */
    private void workerDone() {
        Runnable next;
        synchronized (this) {
            activeWorkers--;
            if (activeWorkers > 0) {
                return;
            }
            if (cancelRequested) {
                next = this::finishCanceled;
            } else if (failure != null) {
                Throwable cause = failure;
                next = () -> fail(cause);
            } else if (!queue.isEmpty() && pauseRequested) {
                state = Upload.State.PAUSED;
                next = () -> {
                    UploadProgress progress = progress();
                    notify(listener -> listener.onPaused(progress));
                };
            } else if (!queue.isEmpty()) {
                next = this::startWorkers; // resumed while the last workers drained
            } else {
                next = this::complete;
            }
        }
        next.run();
    }

    // ---------------------------------------------------------------- finishing

    private void complete() {
        try {
            synchronized (this) {
                state = Upload.State.COMPLETING;
            }
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (now.size() != key.size() || now.lastModifiedTime().toMillis() != key.lastModifiedMillis()) {
                throw new IllegalStateException("the file changed while it was uploaded: " + file);
            }
            UploadResult done;
            try {
                JsonNode answer = wire.complete(uploadId, wholeFileHash(), calls);
                done = result(answer, Optional.of(locationOf(answer)));
            } catch (TorrinException e) {
                if (e.code() != ErrorCode.UPLOAD_ALREADY_COMPLETED) {
                    throw e;
                }
                done = result(Wire.JSON.createObjectNode(), Optional.empty());
            }
            resumeStore.remove(key);
            synchronized (this) {
                state = Upload.State.COMPLETED;
            }
            closeChannel();
            UploadResult finished = done;
            notify(listener -> listener.onCompleted(finished));
            result.complete(finished);
        } catch (Wire.Abandoned e) {
            finishCanceled();
        } catch (Throwable e) {
            fail(e);
        }
    }

    private String wholeFileHash() throws IOException {
        if (fileHash == null) {
            fileHash = CompletableFuture.completedFuture(sha256(0, key.size()));
        }
        try {
            return fileHash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Wire.Abandoned();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    private UploadResult result(JsonNode answer, Optional<Map<String, Object>> location) {
        Map<String, Object> metadata = answer.path("metadata").isObject()
                ? Wire.JSON.convertValue(answer.path("metadata"), Wire.OBJECT)
                : Map.of();
        String name =
                answer.path("fileName").isTextual() ? answer.path("fileName").asText() : null;
        synchronized (this) {
            return new UploadResult(
                    uploadId, name, fileSize, fileHash.join(), location, metadata, resumed, bytesSent.get());
        }
    }

    private static Map<String, Object> locationOf(JsonNode answer) {
        return answer.path("location").isObject()
                ? Wire.JSON.convertValue(answer.path("location"), Wire.OBJECT)
                : Map.of();
    }

    private void finishCanceled() {
        String id;
        synchronized (this) {
            if (state.isFinal()) {
                return;
            }
            state = Upload.State.CANCELED;
            id = uploadId;
        }
        closeChannel();
        if (id != null) {
            try {
                wire.abort(id, Wire.Calls.plain());
            } catch (RuntimeException e) {
                LOG.warn("could not abort upload {} of {} on the server: {}", id, file, e.toString());
            }
        }
        try {
            if (key != null) {
                resumeStore.remove(key);
            }
        } catch (IOException e) {
            LOG.warn("could not forget upload {} of {}: {}", id, file, e.toString());
        }
        CancellationException canceled = new CancellationException("upload of " + file + " canceled");
        notify(listener -> listener.onFailed(canceled));
        result.completeExceptionally(canceled);
    }

    private void fail(Throwable cause) {
        synchronized (this) {
            if (state.isFinal()) {
                return;
            }
            state = Upload.State.FAILED;
            if (failure == null) {
                failure = cause;
            }
        }
        calls.cancelAll();
        closeChannel();
        Throwable reported = cause instanceof UncheckedIOException unchecked ? unchecked.getCause() : cause;
        notify(listener -> listener.onFailed(reported));
        result.completeExceptionally(reported);
    }

    private void closeChannel() {
        FileChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", file, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private long chunkLength(int index) {
        return Math.min(chunkSize, key.size() - index * chunkSize);
    }

    private void notify(Consumer<UploadListener> call) {
        synchronized (listenerLock) {
            try {
                call.accept(options.listener());
            } catch (RuntimeException e) {
                LOG.warn("an upload listener failed: {}", e.toString(), e);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
