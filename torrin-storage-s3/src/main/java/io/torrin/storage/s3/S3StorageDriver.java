/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.storage.s3;

import io.torrin.core.ErrorCode;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.spi.AppendWrite;
import io.torrin.server.spi.AppendableStorage;
import io.torrin.server.spi.ChunkWrite;
import io.torrin.server.spi.Health;
import io.torrin.server.spi.HealthCheck;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StorageConstraints;
import io.torrin.server.spi.StorageUpload;
import io.torrin.server.spi.StoredFile;
import io.torrin.server.spi.support.ContentDisposition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link io.torrin.server.spi.StorageDriver} on S3 multipart uploads, for AWS S3 and S3-compatible stores (MinIO, Cloudflare R2,
 * Ceph). Chunk {@code i} is part {@code i + 1}, streamed with its known length (the SDK keeps at most 128 KiB of it
 * for retries). Its constraints make the service negotiate valid parts: at least 5 MiB except the last, at most
 * 5 GiB, at most 10,000 parts, objects up to 5 TiB.
 *
 * <p>State: the object key and the S3 upload id are returned by {@link #begin} and kept in the
 * {@code UploadStore}; part ETags and checksums are read back with paged {@code ListParts} at completion. Nothing
 * lives only in this process, so a restarted process or another instance continues and completes an upload.
 *
 * <p>Integrity: a chunk that comes with the client's SHA-256 sends it to S3 as the part's checksum, so S3 rejects a
 * corrupted part ({@code CHUNK_HASH_MISMATCH}); without one, the SDK computes its default checksum while streaming
 * and S3 checks that. (The multipart upload itself is created without a checksum algorithm, so completion needs
 * only part numbers and ETags, which {@code ListParts} returns on every S3-compatible store.) A whole-file hash at completion is not supported (S3 cannot read an
 * unfinished multipart upload): the service answers it with {@code INVALID_REQUEST}.
 *
 * <p>The object gets the upload's {@code Content-Type} and, for named uploads, a {@code Content-Disposition}
 * that is safe for any file name (RFC 6266/5987). Completed uploads are reported as
 * {@code StorageLocation("s3", {"bucket", "key"})}.
 *
 * <p>Thread-safe. The {@link S3Client} (and the optional {@link S3Presigner}) belong to the caller: this driver
 * never closes them.
 *
 * <pre>{@code
 * S3StorageDriver storage = S3StorageDriver.builder(s3Client, "my-bucket")
 *     .keyPrefix("uploads/")
 *     .keyStrategy(S3KeyStrategy.byOriginalName())
 *     .build();
 * }</pre>
 */
public final class S3StorageDriver implements AppendableStorage, ReadableStorage, HealthCheck {

    /** The storage-state key of the object key. */
    public static final String KEY = "key";
    /** The storage-state key of the S3 multipart upload id. */
    public static final String MULTIPART_UPLOAD_ID = "multipartUploadId";
    /** The storage location type of this driver. */
    public static final String LOCATION_TYPE = "s3";

    /** S3's smallest part size (all parts but the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part size. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's largest number of parts. */
    public static final int MAX_PARTS = 10_000;
    /** S3's largest object. */
    public static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    private static final StorageConstraints CONSTRAINTS =
            new StorageConstraints(MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS, MAX_OBJECT_SIZE);

    private final S3Client s3;
    private final String bucket;
    private final String keyPrefix;
    private final S3KeyStrategy keys;
    private final S3Presigner presigner;
    private final S3Appends appends;

    private S3StorageDriver(Builder builder) {
        this.s3 = builder.s3;
        this.bucket = builder.bucket;
        this.keyPrefix = builder.keyPrefix;
        this.keys = builder.keys;
        this.presigner = builder.presigner;
        this.appends = new S3Appends(s3, bucket, keyPrefix, builder.spoolDirectory);
    }

    /**
     * Starts a builder.
     *
     * @param s3 the client, not null; never closed by the driver
     * @param bucket the bucket, not null
     * @return a new builder
     */
    public static Builder builder(S3Client s3, String bucket) {
        return new Builder(s3, bucket);
    }

    /**
     * Returns the bucket.
     *
     * @return the bucket name
     */
    public String bucket() {
        return bucket;
    }

    /**
     * Returns the key prefix.
     *
     * @return the prefix, empty or ending with {@code /}
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public StorageConstraints constraints() {
        return CONSTRAINTS;
    }

    @Override
    public Map<String, String> begin(UploadSession session) throws IOException {
        String key = keyPrefix + keys.key(session);
        checkKey(key);
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType(session.mimeType())
                .metadata(Map.of("torrin-upload-id", session.uploadId()));
        session.fileName().ifPresent(name -> request.contentDisposition(ContentDisposition.attachment(name)));
        try {
            String multipartId = s3.createMultipartUpload(request.build()).uploadId();
            return Map.of(KEY, key, MULTIPART_UPLOAD_ID, multipartId);
        } catch (SdkException e) {
            throw S3Errors.translate("CreateMultipartUpload", bucket, e);
        }
    }

    @Override
    public void writeChunk(ChunkWrite write) throws IOException {
        StorageUpload upload = write.upload();
        UploadPartRequest.Builder request = UploadPartRequest.builder()
                .bucket(bucket)
                .key(key(upload))
                .uploadId(multipartId(upload))
                .partNumber(write.index() + 1)
                .contentLength(write.length());
        write.sha256()
                .ifPresent(hex -> request.checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .checksumSHA256(Base64.getEncoder()
                                .encodeToString(HexFormat.of().parseHex(hex))));
        try {
            s3.uploadPart(request.build(), RequestBody.fromInputStream(write.data(), write.length()));
        } catch (SdkException e) {
            if (S3Errors.isNoSuchUpload(e)) {
                throw new IOException("the S3 multipart upload of " + upload.uploadId() + " is gone (aborted?)", e);
            }
            throw S3Errors.translate("UploadPart", bucket, e);
        } catch (TorrinException e) {
            throw e;
        } catch (RuntimeException e) {
            // The SDK reports a body it cannot replay for a retry this way (after the client's stream broke off).
            throw new IOException("S3 UploadPart failed: " + e.getMessage(), e);
        }
    }

    /**
     * Appends bytes of an append upload (tus): whole parts go to the multipart upload; bytes that do not finish a
     * part yet become temporary tail objects under {@code <prefix>.torrin-tails/<upload id>/} until they can join
     * one. Bodies are spooled to the spool directory, at most one part at a time, so a body that breaks off keeps
     * what arrived (it becomes a tail object) and a body of unknown length can be stored. If S3 fails, the parts
     * and tails stored before the failure count ({@link io.torrin.server.spi.PartialAppendException}).
     */
    @Override
    public long append(AppendWrite write) throws IOException {
        StorageUpload upload = write.upload();
        return appends.append(write, key(upload), multipartId(upload));
    }

    @Override
    public InputStream open(StorageLocation location) throws IOException {
        String key = keyOf(location);
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw notFoundOrTranslated("GetObject", key, e);
        }
    }

    /**
     * Opens a byte range of a completed object with a ranged {@code GetObject}, so only the range travels.
     *
     * @param location a location this driver returned, not null
     * @param offset the first byte, at least 0
     * @param length how many bytes, at least 0
     * @return the range's bytes; the caller closes the stream
     * @throws IOException if the object is gone or S3 failed
     */
    @Override
    public InputStream open(StorageLocation location, long offset, long length) throws IOException {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        String key = keyOf(location);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).range(range));
        } catch (SdkException e) {
            throw notFoundOrTranslated("GetObject", key, e);
        }
    }

    /**
     * Describes a completed object with {@code HeadObject}: its length, {@code Last-Modified} and S3 {@code ETag}
     * (the version).
     *
     * @param location a location this driver returned, not null
     * @return the object's description
     * @throws NoSuchFileException if the object is gone
     * @throws IOException if S3 failed
     */
    @Override
    public StoredFile stat(StorageLocation location) throws IOException {
        String key = keyOf(location);
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw notFoundOrTranslated("HeadObject", key, e);
        }
        return new StoredFile(
                head.contentLength(),
                head.lastModified() == null ? Instant.EPOCH : head.lastModified(),
                Objects.toString(head.eTag(), "") + "/" + Objects.toString(head.versionId(), ""));
    }

    /**
     * Returns a presigned {@code GetObject} URL whose response carries the given type and disposition, when the
     * driver was built with a presigner ({@link Builder#presigner}); else empty.
     *
     * @param location a location this driver returned, not null
     * @param validity how long the URL works, not null
     * @param contentType the response's {@code Content-Type}, not null
     * @param contentDisposition the response's {@code Content-Disposition}, not null
     * @return the URL, or empty without a presigner
     */
    @Override
    public Optional<URI> downloadUrl(
            StorageLocation location, Duration validity, String contentType, String contentDisposition) {
        if (presigner == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(presign(
                            location,
                            validity,
                            g -> g.responseContentType(contentType).responseContentDisposition(contentDisposition))
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the presigner made a malformed URL", e);
        }
    }

    private String keyOf(StorageLocation location) throws IOException {
        if (!LOCATION_TYPE.equals(location.type())
                || !location.attribute("bucket").map(bucket::equals).orElse(false)) {
            throw new IOException("not a location of bucket " + bucket + ": " + location);
        }
        return location.attribute("key").orElseThrow(() -> new IOException("no key in " + location));
    }

    private IOException notFoundOrTranslated(String operation, String key, SdkException e) {
        if (S3Errors.isNotFound(e) && !"NoSuchBucket".equals(S3Errors.code(e))) {
            NoSuchFileException gone = new NoSuchFileException("s3://" + bucket + "/" + key);
            gone.initCause(e);
            return gone;
        }
        return S3Errors.translate(operation, bucket, e);
    }

    @Override
    public StorageLocation complete(StorageUpload upload) throws IOException {
        String key = key(upload);
        String multipartId = multipartId(upload);
        StorageLocation location = new StorageLocation(LOCATION_TYPE, Map.of("bucket", bucket, "key", key));
        if (upload.session().knownFileSize() == 0) {
            completeEmpty(upload, key, multipartId);
            return location;
        }
        List<Part> parts;
        try {
            parts = listParts(key, multipartId);
        } catch (SdkException e) {
            if (S3Errors.isNoSuchUpload(e) && objectExists(key, upload.session().knownFileSize())) {
                return location;
            }
            throw S3Errors.isNoSuchUpload(e)
                    ? new IOException("the S3 multipart upload of " + upload.uploadId() + " is gone", e)
                    : S3Errors.translate("ListParts", bucket, e);
        }
        int total = upload.session().totalChunks();
        // an unrecorded append of an upload whose size was declared late may have left parts beyond the last one
        parts = parts.stream().filter(part -> part.partNumber() <= total).toList();
        if (parts.size() != total) {
            throw new IOException(
                    "S3 holds " + parts.size() + " of " + total + " parts of upload " + upload.uploadId());
        }
        List<CompletedPart> completed = new ArrayList<>(total);
        for (Part part : parts) {
            completed.add(CompletedPart.builder()
                    .partNumber(part.partNumber())
                    .eTag(part.eTag())
                    .build());
        }
        try {
            s3.completeMultipartUpload(
                    r -> r.bucket(bucket).key(key).uploadId(multipartId).multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            if (S3Errors.isNoSuchUpload(e) && objectExists(key, upload.session().knownFileSize())) {
                return location;
            }
            throw S3Errors.translate("CompleteMultipartUpload", bucket, e);
        }
        appends.deleteTails(upload.uploadId(), Long.MAX_VALUE);
        return location;
    }

    /** S3 cannot complete a multipart upload without parts, so an empty file is a plain empty object. */
    private void completeEmpty(StorageUpload upload, String key, String multipartId) throws IOException {
        UploadSession session = upload.session();
        abort(upload);
        try {
            s3.putObject(
                    r -> {
                        r.bucket(bucket)
                                .key(key)
                                .contentType(session.mimeType())
                                .metadata(Map.of("torrin-upload-id", session.uploadId()));
                        session.fileName().ifPresent(name -> r.contentDisposition(ContentDisposition.attachment(name)));
                    },
                    RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.translate("PutObject", bucket, e);
        }
    }

    @Override
    public void abort(StorageUpload upload) throws IOException {
        String key = upload.storageState().get(KEY);
        String multipartId = upload.storageState().get(MULTIPART_UPLOAD_ID);
        if (key == null || multipartId == null) {
            return;
        }
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(multipartId));
        } catch (SdkException e) {
            if (!S3Errors.isNoSuchUpload(e) && !S3Errors.isNotFound(e)) {
                throw S3Errors.translate("AbortMultipartUpload", bucket, e);
            }
        }
        appends.deleteTails(upload.uploadId(), Long.MAX_VALUE);
    }

    /**
     * Returns a time-limited URL that downloads a completed upload without credentials.
     *
     * @param location a location this driver returned, not null
     * @param validity how long the URL works, not null
     * @return the URL
     * @throws IllegalStateException if the driver was built without a presigner
     * @throws IllegalArgumentException if the location is not this driver's
     */
    public URL presignedGetUrl(StorageLocation location, Duration validity) {
        if (presigner == null) {
            throw new IllegalStateException("no S3Presigner configured (S3StorageDriver.Builder.presigner)");
        }
        return presign(location, validity, g -> {});
    }

    private URL presign(StorageLocation location, Duration validity, Consumer<GetObjectRequest.Builder> response) {
        String key;
        try {
            key = keyOf(location);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return presigner
                .presignGetObject(p -> p.signatureDuration(validity).getObjectRequest(g -> {
                    g.bucket(bucket).key(key);
                    response.accept(g);
                }))
                .url();
    }

    /**
     * Lists every part of a multipart upload, following {@code ListParts} pages (1,000 parts each).
     *
     * @param key the object key
     * @param multipartId the multipart upload id
     * @return the parts in part-number order
     */
    List<Part> listParts(String key, String multipartId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            ListPartsResponse page = s3.listParts(r -> r.bucket(bucket)
                    .key(key)
                    .uploadId(multipartId)
                    .maxParts(1000)
                    .partNumberMarker(from));
            parts.addAll(page.parts());
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.parts().isEmpty()) {
                return parts;
            }
            marker = page.nextPartNumberMarker() != null
                    ? page.nextPartNumberMarker()
                    : page.parts().get(page.parts().size() - 1).partNumber();
        }
    }

    private boolean objectExists(String key, long size) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
            return head.contentLength() != null && head.contentLength() == size;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw S3Errors.translate("HeadObject", bucket, e);
        }
    }

    private static String key(StorageUpload upload) throws IOException {
        return state(upload, KEY);
    }

    private static String multipartId(StorageUpload upload) throws IOException {
        return state(upload, MULTIPART_UPLOAD_ID);
    }

    private static String state(StorageUpload upload, String name) throws IOException {
        String value = upload.storageState().get(name);
        if (value == null) {
            throw new IOException("upload " + upload.uploadId() + " has no S3 multipart state (" + name + ")");
        }
        return value;
    }

    private static void checkKey(String key) {
        boolean clean = !key.isEmpty()
                && key.getBytes(StandardCharsets.UTF_8).length <= 1024
                && key.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
        if (!clean) {
            throw new TorrinException(ErrorCode.INVALID_REQUEST, "the file name maps to no valid S3 key", Map.of());
        }
    }

    /**
     * Checks that the bucket is reachable with the client's credentials ({@code HeadBucket}); the client's own
     * timeouts bound the wait.
     *
     * @return up with the bucket, or down with S3's answer
     */
    @Override
    public Health checkHealth() {
        Map<String, Object> details = Map.of("bucket", bucket);
        try {
            s3.headBucket(request -> request.bucket(bucket));
            return Health.up(details);
        } catch (SdkException e) {
            return Health.down("the bucket is not reachable: " + e.getMessage(), details);
        }
    }

    /** {@return {@code s3}} */
    @Override
    public String kind() {
        return "s3";
    }

    /** Builds an {@link S3StorageDriver}. Not thread-safe. */
    public static final class Builder {
        private final S3Client s3;
        private final String bucket;
        private String keyPrefix = "";
        private S3KeyStrategy keys = S3KeyStrategy.byUploadId();
        private S3Presigner presigner;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder(S3Client s3, String bucket) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.bucket = Objects.requireNonNull(bucket, "bucket");
            if (bucket.isBlank()) {
                throw new IllegalArgumentException("bucket must not be blank");
            }
        }

        /**
         * Sets a prefix for every key, for example {@code uploads/}; a missing trailing slash is added, a leading
         * one removed. Default none.
         *
         * @param prefix the prefix, not null
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            String trimmed = Objects.requireNonNull(prefix, "prefix").replaceAll("^/+", "");
            this.keyPrefix = trimmed.isEmpty() || trimmed.endsWith("/") ? trimmed : trimmed + "/";
            return this;
        }

        /**
         * Sets how keys are chosen. Default {@link S3KeyStrategy#byUploadId()}.
         *
         * @param strategy the strategy, not null
         * @return this builder
         */
        public Builder keyStrategy(S3KeyStrategy strategy) {
            this.keys = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Enables {@link S3StorageDriver#presignedGetUrl}. The presigner belongs to the caller.
         *
         * @param presigner the presigner, not null
         * @return this builder
         */
        public Builder presigner(S3Presigner presigner) {
            this.presigner = Objects.requireNonNull(presigner, "presigner");
            return this;
        }

        /**
         * Builds the driver. Makes no request to S3.
         *
         * @return the driver
         */
        /**
         * Sets the local directory where append (tus) bodies are spooled, at most one part per running append,
         * before they go to S3: S3 needs lengths up front, and a body that breaks off keeps the bytes that arrived.
         * Default: {@code java.io.tmpdir}.
         *
         * @param directory an existing directory, not null
         * @return this builder
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Builds the driver. The {@link S3Client} is used as configured and never closed by the driver.
         *
         * @return the driver
         */
        public S3StorageDriver build() {
            return new S3StorageDriver(this);
        }
    }
}
