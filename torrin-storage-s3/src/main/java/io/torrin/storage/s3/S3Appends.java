/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.PartialAppendException;
import io.torrin.server.spi.StorageUpload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Append uploads (tus) on S3. Chunk {@code i} of the upload is part {@code i + 1} of its multipart upload, as for
 * chunked uploads. Appended bytes that do not finish a part yet are kept as temporary "tail" objects named by their
 * start offset ({@code <prefix>.torrin-tails/<upload id>/<offset>}), so nothing is held in memory and a restart or
 * another instance continues the upload. When a part can be finished, its tail objects are streamed back, followed
 * by the new bytes, into {@code UploadPart}. Which tail objects count is decided by the recorded offset alone: the
 * chain of objects from the start of the current part up to the offset; anything else under the upload's tail
 * prefix is left over from appends whose outcome was not recorded, and is deleted lazily and at complete or abort.
 *
 * <p>Bodies are spooled to a local temporary file, at most one part's worth at a time, before they go to S3: S3
 * needs each object's length up front, which a body without {@code Content-Length} does not give, and a body that
 * breaks off (or is ended because the client resumed elsewhere) would otherwise lose the bytes that arrived since
 * the last stored part; with the spool they become a tail object and count. Thread-safe for different uploads;
 * the service serializes appends of one upload.
 */
final class S3Appends {

    private static final String TAILS = ".torrin-tails/";
    private static final int OFFSET_DIGITS = 20;

    private final S3Client s3;
    private final String bucket;
    private final String keyPrefix;
    private final Path spoolDirectory;

    S3Appends(S3Client s3, String bucket, String keyPrefix, Path spoolDirectory) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.spoolDirectory = spoolDirectory;
    }

    long append(AppendWrite write, String key, String multipartId) throws IOException {
        StorageUpload upload = write.upload();
        long chunkSize = upload.session().chunkSize();
        long offset = write.offset();
        long partStart = offset - offset % chunkSize;
        if (partStart == offset) {
            deleteTails(upload.uploadId(), Long.MAX_VALUE);
        }
        try {
            return appendPieces(write, key, multipartId, partStart);
        } catch (StoredSoFar e) {
            throw e.stored() > 0 ? new PartialAppendException(e.stored(), e.cause()) : e.cause();
        }
    }

    /** The loop of {@link #append}; a backend failure is reported with the count stored before it. */
    private long appendPieces(AppendWrite write, String key, String multipartId, long partStart) throws StoredSoFar {
        StorageUpload upload = write.upload();
        long chunkSize = upload.session().chunkSize();
        long offset = write.offset();
        long stored = 0;
        boolean more = true;
        while (true) {
            long position = offset + stored;
            long partEnd = partStart + chunkSize;
            if (write.fileSize().isPresent()) {
                partEnd = Math.min(partEnd, write.fileSize().getAsLong());
            }
            if (position == partEnd && position > partStart) {
                // The size was just declared and the tail objects already hold the whole last part.
                try {
                    uploadPart(upload, key, multipartId, partStart, position, InputStream.nullInputStream(), 0);
                } catch (IOException e) {
                    throw new StoredSoFar(stored, e);
                }
                partStart = partEnd;
                continue;
            }
            long room = partEnd - position;
            long want = write.length().isEmpty()
                    ? room
                    : Math.min(room, write.length().getAsLong() - stored);
            if (!more || want <= 0) {
                break;
            }
            try (Piece piece = spool(write.data(), want)) {
                if (piece.length == 0) {
                    break;
                }
                if (position + piece.length == partEnd) {
                    uploadPart(upload, key, multipartId, partStart, position, piece.data, piece.length);
                    partStart = partEnd;
                } else {
                    putTail(upload.uploadId(), position, piece.data, piece.length);
                }
                stored += piece.length;
                // a piece shorter than asked for means the body ended
                more = piece.length == want;
            } catch (IOException e) {
                throw new StoredSoFar(stored, e);
            }
        }
        return stored;
    }

    /** A backend failure during an append, with the bytes stored durably before it. */
    private static final class StoredSoFar extends Exception {
        private static final long serialVersionUID = 1L;
        private final long stored;

        StoredSoFar(long stored, IOException cause) {
            super(cause);
            this.stored = stored;
        }

        long stored() {
            return stored;
        }

        IOException cause() {
            return (IOException) getCause();
        }
    }

    /**
     * Uploads part {@code partStart / chunkSize + 1}: the tail objects from {@code partStart} to {@code position},
     * then {@code length} bytes of {@code data} (a spool file or nothing).
     */
    private void uploadPart(
            StorageUpload upload,
            String key,
            String multipartId,
            long partStart,
            long position,
            InputStream data,
            long length)
            throws IOException {
        int partNumber = Math.toIntExact(partStart / upload.session().chunkSize()) + 1;
        List<String> tails = tailChain(upload.uploadId(), partStart, position);
        TailStreams streams = new TailStreams(tails, data);
        try {
            s3.uploadPart(
                    r -> r.bucket(bucket)
                            .key(key)
                            .uploadId(multipartId)
                            .partNumber(partNumber)
                            .contentLength(position - partStart + length),
                    RequestBody.fromInputStream(new SequenceInputStream(streams), position - partStart + length));
        } catch (UncheckedTailException e) {
            streams.closeOpened();
            throw e.getCause();
        } catch (SdkException e) {
            streams.closeOpened();
            throw S3Errors.translate("UploadPart", bucket, e);
        } catch (RuntimeException e) {
            streams.closeOpened();
            throw new IOException("S3 UploadPart failed: " + e.getMessage(), e);
        }
    }

    private void putTail(String uploadId, long position, InputStream data, long length) throws IOException {
        try {
            s3.putObject(
                    r -> r.bucket(bucket).key(tailKey(uploadId, position)).contentLength(length),
                    RequestBody.fromInputStream(data, length));
        } catch (SdkException e) {
            throw S3Errors.translate("PutObject", bucket, e);
        } catch (RuntimeException e) {
            throw new IOException("S3 PutObject failed: " + e.getMessage(), e);
        }
    }

    /** The keys of the tail objects that hold the bytes from {@code from} to {@code to}, in order. */
    private List<String> tailChain(String uploadId, long from, long to) throws IOException {
        List<String> chain = new ArrayList<>();
        if (from == to) {
            return chain;
        }
        TreeMap<Long, Long> sizes = new TreeMap<>();
        for (S3Object object : listTails(uploadId)) {
            String name = object.key().substring(object.key().lastIndexOf('/') + 1);
            try {
                sizes.put(Long.parseLong(name), object.size());
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
        long position = from;
        while (position < to) {
            Long size = sizes.get(position);
            if (size == null || size <= 0 || position + size > to) {
                throw new IOException("upload " + uploadId + " misses the S3 tail object for offset " + position);
            }
            chain.add(tailKey(uploadId, position));
            position += size;
        }
        return chain;
    }

    /** Deletes the upload's tail objects that start below {@code below}. */
    void deleteTails(String uploadId, long below) throws IOException {
        List<ObjectIdentifier> doomed = new ArrayList<>();
        for (S3Object object : listTails(uploadId)) {
            String name = object.key().substring(object.key().lastIndexOf('/') + 1);
            if (name.chars().allMatch(Character::isDigit) && Long.parseLong(name) < below) {
                doomed.add(ObjectIdentifier.builder().key(object.key()).build());
            }
        }
        for (int i = 0; i < doomed.size(); i += 1000) {
            List<ObjectIdentifier> batch = doomed.subList(i, Math.min(doomed.size(), i + 1000));
            try {
                s3.deleteObjects(
                        r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            } catch (SdkException e) {
                throw S3Errors.translate("DeleteObjects", bucket, e);
            }
        }
    }

    private List<S3Object> listTails(String uploadId) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        String prefix = keyPrefix + TAILS + uploadId + "/";
        String token = null;
        try {
            do {
                String from = token;
                ListObjectsV2Response page =
                        s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(from));
                objects.addAll(page.contents());
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3Errors.translate("ListObjectsV2", bucket, e);
        }
        return objects;
    }

    private String tailKey(String uploadId, long offset) {
        String digits = Long.toString(offset);
        return keyPrefix + TAILS + uploadId + "/" + "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    /**
     * Reads up to {@code limit} bytes of a body into a temporary file; fewer if the body ends first (the service's
     * append body ends normally when the client's stream fails or the append is evicted).
     */
    private Piece spool(InputStream data, long limit) throws IOException {
        Path file = Files.createTempFile(spoolDirectory, "torrin-s3-", ".part");
        long count = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (count < limit && (n = data.read(buffer, 0, (int) Math.min(buffer.length, limit - count))) >= 0) {
                out.write(buffer, 0, n);
                count += n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Piece(Files.newInputStream(file), count, file);
    }

    /** A piece of an append: {@code length} bytes spooled to {@code file}. */
    private record Piece(InputStream data, long length, Path file) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                data.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A tail object that could not be read while streaming a part. */
    private static final class UncheckedTailException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedTailException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Opens each tail object when the part upload reaches it, then hands over the new bytes. */
    private final class TailStreams implements Enumeration<InputStream> {
        private final Iterator<String> keys;
        private final List<InputStream> opened = new ArrayList<>();
        private InputStream last;

        TailStreams(List<String> keys, InputStream last) {
            this.keys = keys.iterator();
            this.last = last;
        }

        @Override
        public boolean hasMoreElements() {
            return keys.hasNext() || last != null;
        }

        @Override
        public InputStream nextElement() {
            if (keys.hasNext()) {
                String key = keys.next();
                try {
                    InputStream tail = s3.getObject(r -> r.bucket(bucket).key(key));
                    opened.add(tail);
                    return tail;
                } catch (SdkException e) {
                    try {
                        throw S3Errors.translate("GetObject", bucket, e);
                    } catch (IOException io) {
                        throw new UncheckedTailException(io);
                    }
                }
            }
            if (last == null) {
                throw new NoSuchElementException();
            }
            InputStream next = last;
            last = null;
            return next;
        }

        /** After a failed part upload: aborts the tail objects opened so far, releasing their connections. */
        void closeOpened() {
            for (InputStream tail : opened) {
                try {
                    if (tail instanceof ResponseInputStream<?> response) {
                        response.abort();
                    }
                    tail.close();
                } catch (IOException | RuntimeException e) {
                    // the part upload's outcome is decided; a failed close only costs a connection
                }
            }
            opened.clear();
        }
    }
}
