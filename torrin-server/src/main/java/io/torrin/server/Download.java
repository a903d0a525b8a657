/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server;

import io.torrin.core.StorageLocation;
import io.torrin.core.UploadSession;
import io.torrin.server.internal.Errors;
import io.torrin.server.spi.ReadableStorage;
import io.torrin.server.spi.StoredFile;
import io.torrin.server.spi.support.ContentDisposition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A completed upload opened for reading, as {@link Downloads#open} returns it after the download hooks allowed the
 * caller: what the upload was (name, type), what storage holds (length, modification time) and the bytes. Holds no
 * resource itself; every stream it opens belongs to the caller. Immutable and thread-safe.
 */
public final class Download {

    /**
     * The {@link StorageLocation} attribute holding the whole-file SHA-256 (lower-case hex) the client sent and the
     * server verified when the upload was completed; it becomes the download's {@code ETag}.
     */
    public static final String SHA256_ATTRIBUTE = "sha256";

    private final UploadSession session;
    private final StorageLocation location;
    private final StoredFile file;
    private final ReadableStorage storage;

    Download(UploadSession session, StorageLocation location, StoredFile file, ReadableStorage storage) {
        this.session = session;
        this.location = location;
        this.file = file;
        this.storage = storage;
    }

    /**
     * Returns the completed upload.
     *
     * @return the session, state {@code COMPLETED}, never null
     */
    public UploadSession session() {
        return session;
    }

    /**
     * Returns where the file is stored.
     *
     * @return the location, never null
     */
    public StorageLocation location() {
        return location;
    }

    /**
     * Returns the file's length as storage reports it now.
     *
     * @return the length in bytes, at least 0
     */
    public long length() {
        return file.length();
    }

    /**
     * Returns when storage last wrote the file.
     *
     * @return the instant, never null
     */
    public Instant lastModified() {
        return file.lastModified();
    }

    /**
     * Returns the verified whole-file SHA-256, when the client sent one at completion (the Torrin protocol's
     * {@code hash}) and the file still has the upload's length.
     *
     * @return the lower-case hex digest, or empty
     */
    public Optional<String> sha256() {
        return location.attribute(SHA256_ATTRIBUTE)
                .filter(hash -> session.fileSize().orElse(-1) == file.length());
    }

    /**
     * Returns a strong entity tag for this state of the file, quoted as HTTP wants it: the SHA-256 when known,
     * otherwise a digest of the upload id and the storage's version of the file. It is the same on every instance
     * and after restarts, and changes if the application rewrites the file.
     *
     * @return the entity tag, for example {@code "3a7bd3e2…"}, never null
     */
    public String etag() {
        Optional<String> sha256 = sha256();
        if (sha256.isPresent()) {
            return '"' + sha256.get() + '"';
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        digest.update(
                (session.uploadId() + '\n' + file.length() + '\n' + file.version()).getBytes(StandardCharsets.UTF_8));
        return "\"v-" + HexFormat.of().formatHex(digest.digest(), 0, 16) + '"';
    }

    /**
     * Returns the {@code Content-Disposition} to serve the file with: the type, then the upload's file name cleaned
     * of directories, control and bidirectional-text characters, as a quoted ASCII fallback and an RFC 8187
     * {@code filename*} (see {@link ContentDisposition}); the type alone for an upload without a usable name.
     *
     * @param inline {@code inline} if true, else {@code attachment}
     * @return a header value of printable ASCII only, never null
     */
    public String contentDisposition(boolean inline) {
        return ContentDisposition.of(inline, session.fileName().orElse(""));
    }

    /**
     * Opens the whole file. The caller closes the stream.
     *
     * @return the bytes
     * @throws io.torrin.core.TorrinException {@code STORAGE_ERROR} if storage fails
     */
    public InputStream open() {
        return open(0, file.length());
    }

    /**
     * Opens a byte range. The caller closes the stream.
     *
     * @param offset the first byte, from 0 to {@link #length()}
     * @param length how many bytes, from 0 to {@code length() - offset}
     * @return the bytes of the range
     * @throws IllegalArgumentException if the range does not lie within the file
     * @throws io.torrin.core.TorrinException {@code STORAGE_ERROR} if storage fails
     */
    public InputStream open(long offset, long length) {
        if (offset < 0 || length < 0 || offset > file.length() - length) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " is not within the file's " + file.length() + " bytes");
        }
        try {
            return storage.open(location, offset, length);
        } catch (IOException e) {
            throw Errors.storage("could not read the completed upload", e);
        }
    }

    /**
     * Returns the file as a local path, if storage keeps it as one (for zero-copy sending).
     *
     * @return the path inside the storage root, or empty
     */
    public Optional<Path> localFile() {
        return storage.localFile(location);
    }

    /**
     * Returns a time-limited URL from which the client may fetch the file directly, if storage can make one.
     *
     * @param validity how long the URL works, positive, not null
     * @param contentType the content type the fetched response should carry, not null
     * @param contentDisposition the content disposition the fetched response should carry, not null
     * @return the URL, or empty
     */
    public Optional<URI> directUrl(Duration validity, String contentType, String contentDisposition) {
        Objects.requireNonNull(validity, "validity");
        return storage.downloadUrl(location, validity, contentType, contentDisposition);
    }
}
