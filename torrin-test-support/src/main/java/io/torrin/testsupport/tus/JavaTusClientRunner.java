/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testsupport.tus;

import io.tus.java.client.FingerprintNotFoundException;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.ResumingNotEnabledException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Uploads files with the real tus Java client, {@code io.tus.java.client:tus-java-client} (0.5.1), in the calling
 * thread, and can interrupt an upload part-way and resume it with a new client instance.
 *
 * <p><b>Chunks.</b> Every chunk is one PATCH request: the uploader's chunk size and request payload size are both
 * set to {@code chunkSize}, so the server has acknowledged (and the library has checked) the offset after each
 * chunk. The loop is the library's own: {@code uploadChunk()} until it returns {@code -1}, then {@code finish()}.
 *
 * <p><b>Interruption.</b> {@link #upload(URI, Path, Map, int, long)} with a {@code stopAfterBytes} below the file
 * size stops at the first chunk boundary at or past that many bytes (from the start of this call), without calling
 * {@code TusUploader.finish()}: nothing more is sent and no request is left open, as for a client that went away
 * between two requests. The upload stays unfinished on the server.
 *
 * <p><b>Resume.</b> Each call builds a new {@link TusClient} and a new {@link TusUpload}. All clients of one runner
 * share one {@link TusURLMemoryStore} ({@link #urlStore()}), keyed by the library's fingerprint of the file (its
 * absolute path and size), so {@link #resume(Path, int)} finds the URL an earlier {@code upload} stored, asks the
 * server for the offset ({@code HEAD}) and continues from there. {@link #resumeFrom(URI, Path, int, long)} takes the
 * upload URL explicitly instead.
 *
 * <p><b>What the library does on the wire</b>, for the tests that meet it: on Java 17 {@link HttpURLConnection}
 * refuses {@code PATCH}, so it sends {@code POST} with {@code X-HTTP-Method-Override: PATCH}; each PATCH carries
 * {@code Expect: 100-continue} and a chunked body; when the file length is a multiple of the chunk size the last
 * request is an empty PATCH at {@code Upload-Offset} = length; metadata values are Base64 of the platform default
 * charset's bytes (keep them ASCII on Java 17 unless {@code file.encoding} is UTF-8). A file's name is sent as
 * {@code filename} metadata unless other metadata is given.
 *
 * <p><b>Limits.</b> Every request has the runner's timeout as connect and read timeout, and a call stops with a
 * {@link TusClientException} once the timeout has passed since it began (checked between chunks).
 *
 * <p><b>Threads and resources.</b> Not thread-safe (the URL store is a plain map): use one runner per test or per
 * thread. Each call opens and closes its own file stream and connections, also when it fails; the runner holds
 * nothing that needs closing.
 */
public final class JavaTusClientRunner {

    /** The default per-call and per-request time limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** A {@code stopAfterBytes} that never stops: upload to the end. */
    public static final long NO_STOP = Long.MAX_VALUE;

    private final TusURLStore urlStore = new TusURLMemoryStore();
    private final Map<String, String> headers;
    private final Duration timeout;

    /** Creates a runner with no extra headers and {@link #DEFAULT_TIMEOUT}. */
    public JavaTusClientRunner() {
        this(Map.of(), DEFAULT_TIMEOUT);
    }

    /**
     * Creates a runner.
     *
     * @param headers extra headers for every request (for example authentication); copied
     * @param timeout the limit for each call and for each request's connect and read
     */
    public JavaTusClientRunner(Map<String, String> headers, Duration timeout) {
        this.headers = Map.copyOf(headers);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * Returns the URL store shared by every client this runner creates: fingerprint to upload URL.
     *
     * @return the store (a {@link TusURLMemoryStore}; not thread-safe)
     */
    public TusURLStore urlStore() {
        return urlStore;
    }

    /**
     * Creates an upload and sends the whole file.
     *
     * @param creationUrl the tus creation endpoint
     * @param file the file
     * @param metadata {@code Upload-Metadata} entries; {@code null} for the library's default ({@code filename})
     * @param chunkSize bytes per PATCH request
     * @return what happened; {@link Result#finished()} is true
     * @throws TusClientException if the server answered with an unexpected status or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result upload(URI creationUrl, Path file, Map<String, String> metadata, int chunkSize) throws IOException {
        return upload(creationUrl, file, metadata, chunkSize, NO_STOP);
    }

    /**
     * Creates an upload ({@code POST} with {@code Upload-Length}) and sends chunks until at least
     * {@code stopAfterBytes} bytes were acknowledged, then stops without finishing, or sends the whole file if it
     * is not longer than that.
     *
     * @param creationUrl the tus creation endpoint
     * @param file the file
     * @param metadata {@code Upload-Metadata} entries; {@code null} for the library's default ({@code filename})
     * @param chunkSize bytes per PATCH request
     * @param stopAfterBytes stop at the first chunk boundary at or past this many bytes; {@link #NO_STOP} for none
     * @return what happened: the upload URL, the offset reached, whether the upload is complete
     * @throws TusClientException if the server answered with an unexpected status or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result upload(URI creationUrl, Path file, Map<String, String> metadata, int chunkSize, long stopAfterBytes)
            throws IOException {
        Objects.requireNonNull(creationUrl, "creationUrl");
        return run(creationUrl, file, metadata, chunkSize, stopAfterBytes, TusClient::createUpload);
    }

    /**
     * Resumes, with a new client instance, an upload of this file that an earlier call of this runner created:
     * the URL comes from {@link #urlStore()}, the offset from the server. Sends the rest of the file.
     *
     * @param file the same file (same absolute path and size)
     * @param chunkSize bytes per PATCH request
     * @return what happened; {@link Result#startOffset()} is the offset the server reported
     * @throws TusClientException if no URL is stored for the file, the server answered with an unexpected status
     *     (for example 404 for an unknown upload) or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result resume(Path file, int chunkSize) throws IOException {
        return resume(file, chunkSize, NO_STOP);
    }

    /**
     * Like {@link #resume(Path, int)}, but stops again once at least {@code stopAfterBytes} bytes were sent by
     * this call.
     *
     * @param file the same file (same absolute path and size)
     * @param chunkSize bytes per PATCH request
     * @param stopAfterBytes stop at the first chunk boundary at or past this many bytes of this call;
     *     {@link #NO_STOP} for none
     * @return what happened
     * @throws TusClientException if no URL is stored for the file, the server answered with an unexpected status
     *     or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result resume(Path file, int chunkSize, long stopAfterBytes) throws IOException {
        return run(null, file, null, chunkSize, stopAfterBytes, TusClient::resumeUpload);
    }

    /**
     * Resumes the upload at an explicit URL with a new client instance ({@code HEAD}, then PATCH from the offset
     * the server reports). Sends the rest of the file.
     *
     * @param uploadUrl the upload's URL
     * @param file the file
     * @param chunkSize bytes per PATCH request
     * @return what happened
     * @throws TusClientException if the server answered with an unexpected status or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result resumeFrom(URI uploadUrl, Path file, int chunkSize) throws IOException {
        return resumeFrom(uploadUrl, file, chunkSize, NO_STOP);
    }

    /**
     * Like {@link #resumeFrom(URI, Path, int)}, but stops again once at least {@code stopAfterBytes} bytes were
     * sent by this call.
     *
     * @param uploadUrl the upload's URL
     * @param file the file
     * @param chunkSize bytes per PATCH request
     * @param stopAfterBytes stop at the first chunk boundary at or past this many bytes of this call;
     *     {@link #NO_STOP} for none
     * @return what happened
     * @throws TusClientException if the server answered with an unexpected status or the time ran out
     * @throws IOException if the file cannot be read or the connection fails
     */
    public Result resumeFrom(URI uploadUrl, Path file, int chunkSize, long stopAfterBytes) throws IOException {
        URL url = uploadUrl.toURL();
        return run(
                null,
                file,
                null,
                chunkSize,
                stopAfterBytes,
                (client, upload) -> client.beginOrResumeUploadFromURL(upload, url));
    }

    private Result run(
            URI creationUrl, Path file, Map<String, String> metadata, int chunkSize, long stopAfterBytes, Opener opener)
            throws IOException {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        }
        if (stopAfterBytes < 0) {
            throw new IllegalArgumentException("stopAfterBytes must not be negative: " + stopAfterBytes);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a regular file: " + file);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        TusClient client = newClient(creationUrl);
        TusUpload upload = new TusUpload(file.toFile());
        InputStream input = upload.getInputStream();
        try {
            if (metadata != null) {
                upload.setMetadata(new LinkedHashMap<>(metadata));
            }
            TusUploader uploader = opener.open(client, upload);
            uploader.setChunkSize(chunkSize);
            uploader.setRequestPayloadSize(chunkSize);
            long start = uploader.getOffset();
            boolean endOfFile = false;
            // Requests end every chunkSize bytes from the start, so a stop is only taken at such a boundary,
            // when the last request has been answered and none is open.
            while (uploader.getOffset() - start < stopAfterBytes || (uploader.getOffset() - start) % chunkSize != 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TusClientException(
                            "tus-java-client: timed out after " + timeout + " at offset " + uploader.getOffset()
                                    + " of " + upload.getSize(),
                            TusClientException.NO_STATUS,
                            null);
                }
                if (uploader.uploadChunk() < 0) {
                    endOfFile = true;
                    break;
                }
            }
            URI url = toUri(uploader.getUploadURL());
            long offset = uploader.getOffset();
            boolean finished = offset == upload.getSize();
            if (endOfFile && !finished) {
                throw new TusClientException(
                        "tus-java-client: " + file + " ended at " + offset + " bytes, before the upload's length "
                                + upload.getSize(),
                        TusClientException.NO_STATUS,
                        null);
            }
            if (finished) {
                uploader.finish(); // answers the last open request (or sends the library's empty PATCH)
            }
            return new Result(url, start, offset, upload.getSize(), finished);
        } catch (ProtocolException e) {
            throw failure(e);
        } catch (FingerprintNotFoundException | ResumingNotEnabledException e) {
            throw new TusClientException(
                    "tus-java-client: no upload URL stored for " + file + " (" + e.getMessage() + ")",
                    TusClientException.NO_STATUS,
                    e);
        } finally {
            input.close(); // the interrupted path never calls finish(), which would close it
        }
    }

    private TusClient newClient(URI creationUrl) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        TusClient client = new TimedTusClient(millis);
        if (creationUrl != null) {
            client.setUploadCreationURL(creationUrl.toURL());
        }
        client.setConnectTimeout(millis);
        client.enableResuming(urlStore);
        if (!headers.isEmpty()) {
            client.setHeaders(new LinkedHashMap<>(headers));
        }
        return client;
    }

    private static TusClientException failure(ProtocolException e) {
        int status = TusClientException.NO_STATUS;
        HttpURLConnection connection = e.getCausingConnection();
        if (connection != null) {
            try {
                status = connection.getResponseCode();
            } catch (IOException ignored) {
                // no status to report
            }
        }
        return new TusClientException(
                "tus-java-client: " + e.getMessage()
                        + (status == TusClientException.NO_STATUS ? "" : " (HTTP " + status + ")"),
                status,
                e);
    }

    private static URI toUri(URL url) throws IOException {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("the server's upload URL is not a valid URI: " + url, e);
        }
    }

    @FunctionalInterface
    private interface Opener {
        TusUploader open(TusClient client, TusUpload upload)
                throws IOException, ProtocolException, FingerprintNotFoundException, ResumingNotEnabledException;
    }

    /** The library's client with a read timeout on every connection it prepares (PATCH included). */
    private static final class TimedTusClient extends TusClient {

        private final int readTimeoutMillis;

        TimedTusClient(int readTimeoutMillis) {
            this.readTimeoutMillis = readTimeoutMillis;
        }

        @Override
        public void prepareConnection(HttpURLConnection connection) {
            super.prepareConnection(connection);
            connection.setReadTimeout(readTimeoutMillis);
        }
    }

    /**
     * What one call did.
     *
     * @param uploadUrl the upload's URL (from {@code Location} on creation)
     * @param startOffset the offset the call started from: 0 for a new upload, the server's for a resume
     * @param offset the offset reached, acknowledged by the server
     * @param size the upload's length (the file size)
     * @param finished whether the offset reached the length and the upload was finished
     */
    public record Result(URI uploadUrl, long startOffset, long offset, long size, boolean finished) {

        /**
         * Returns how many bytes this call sent and the server acknowledged.
         *
         * @return {@code offset - startOffset}
         */
        public long bytesSent() {
            return offset - startOffset;
        }
    }
}
