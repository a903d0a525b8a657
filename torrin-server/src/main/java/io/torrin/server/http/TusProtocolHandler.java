/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.BodyChecksum;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadIds;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadState;
import io.torrin.server.AppendUploads;
import io.torrin.server.Downloads;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.internal.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 resumable-upload protocol over the neutral exchange, on the same {@link UploadService} as the
 * Torrin protocol: a tus upload is an append upload of the engine, with the same hooks, events, expiry, stores and
 * storage. Supports the extensions {@code creation}, {@code creation-with-upload}, {@code creation-defer-length},
 * {@code expiration}, {@code checksum} (md5, sha1, sha256, sha512), {@code checksum-trailer}, {@code termination},
 * {@code concatenation} and {@code concatenation-unfinished}, and {@code X-HTTP-Method-Override} on {@code POST}.
 *
 * <table>
 *   <caption>Status codes</caption>
 *   <tr><td>201</td><td>created ({@code Location}, {@code Upload-Offset}, {@code Upload-Expires})</td></tr>
 *   <tr><td>204</td><td>PATCH stored, DELETE done, OPTIONS</td></tr>
 *   <tr><td>400</td><td>malformed header, metadata, checksum or concatenation; a size that cannot be set</td></tr>
 *   <tr><td>403</td><td>PATCH on a concatenated (final) upload; a hook refused</td></tr>
 *   <tr><td>404</td><td>unknown upload or path</td></tr>
 *   <tr><td>405</td><td>method not allowed here ({@code Allow})</td></tr>
 *   <tr><td>409</td><td>{@code Upload-Offset} is not the upload's offset (nothing changed)</td></tr>
 *   <tr><td>410</td><td>the upload was terminated or has expired</td></tr>
 *   <tr><td>412</td><td>missing or unsupported {@code Tus-Resumable} ({@code Tus-Version})</td></tr>
 *   <tr><td>413</td><td>bytes past {@code Upload-Length}; a size above {@code Tus-Max-Size}</td></tr>
 *   <tr><td>415</td><td>a PATCH (or a POST with a body) that is not {@code application/offset+octet-stream}</td></tr>
 *   <tr><td>423</td><td>another request holds the upload past the lock timeout ({@code Retry-After})</td></tr>
 *   <tr><td>460</td><td>the body does not match {@code Upload-Checksum} (offset unchanged)</td></tr>
 *   <tr><td>429</td><td>a creation limit was reached ({@code Retry-After})</td></tr>
 *   <tr><td>503</td><td>a retryable storage failure ({@code Retry-After})</td></tr>
 * </table>
 *
 * <p>With downloads switched on ({@link ProtocolHandlerBuilder#downloads}), a {@code GET} of a completed upload's
 * URL serves its bytes (no {@code Tus-Resumable} needed, as browsers send none): ranges, validators and conditional
 * requests as in {@code docs/downloads.md}; 409 for an unfinished upload, 410 for a terminated one.
 *
 * <p>A HEAD, PATCH or DELETE of an upload ends a PATCH of the same upload that is still running in this process
 * (it stops at its next read and records what it stored; see {@link AppendUploads}), so a client that gave up on a
 * stalled connection resumes at once.
 *
 * <p>The handler needs a storage driver that stores appends; {@link #builder(UploadService)} fails otherwise.
 * {@code concatenation} and {@code concatenation-unfinished} are announced only when the driver can also read
 * completed files.
 *
 * <p>Thread-safe; one instance serves all requests. Build it with {@link #builder(UploadService)}.
 */
public final class TusProtocolHandler implements HttpHandler {

    /** The protocol version this handler speaks. */
    public static final String VERSION = "1.0.0";
    /** The extensions this handler supports on every append-capable storage, as announced in {@code Tus-Extension}. */
    public static final List<String> EXTENSIONS = List.of(
            "creation",
            "creation-with-upload",
            "creation-defer-length",
            "expiration",
            "checksum",
            "checksum-trailer",
            "termination");
    /** The extensions added where the storage can read completed files. */
    public static final List<String> CONCATENATION_EXTENSIONS = List.of("concatenation", "concatenation-unfinished");
    /** The {@link io.torrin.server.spi.UploadRecord#attributes()} key holding {@code partial} or {@code final}. */
    public static final String CONCAT_ATTRIBUTE = "tus.concat";
    /** The attribute keeping the client's {@code Upload-Metadata} header verbatim, to echo it. */
    public static final String METADATA_ATTRIBUTE = "tus.metadata";

    private static final Logger LOG = LoggerFactory.getLogger(TusProtocolHandler.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final List<String> ROOT_METHODS = List.of("POST", "OPTIONS");
    private static final List<String> UPLOAD_METHODS = List.of("HEAD", "PATCH", "DELETE", "OPTIONS");
    private static final List<String> DOWNLOAD_UPLOAD_METHODS = List.of("GET", "HEAD", "PATCH", "DELETE", "OPTIONS");
    private static final Map<String, String> TUS_RESUMABLE = Map.of("Tus-Resumable", VERSION);
    private static final List<String> SINGLE_VALUED = List.of(
            "Tus-Resumable",
            "Upload-Length",
            "Upload-Offset",
            "Upload-Defer-Length",
            "Upload-Metadata",
            "Upload-Concat",
            "Upload-Checksum",
            "Content-Length",
            "Content-Type",
            "X-HTTP-Method-Override");

    private final UploadService service;
    private final AppendUploads appends;
    private final List<String> extensions;
    private final CorsPolicy cors;
    private final boolean trustForwardedHeaders;
    private final int maxMetadataHeaderBytes;
    private final long maxDrainBytes;
    private final Optional<Downloads> downloads;
    private final DownloadOptions downloadOptions;

    private TusProtocolHandler(Builder builder) {
        this.service = builder.service;
        this.appends = builder.service.appends();
        this.extensions = appends.supportsConcatenation() ? concat(EXTENSIONS, CONCATENATION_EXTENSIONS) : EXTENSIONS;
        this.cors = builder.cors;
        this.trustForwardedHeaders = builder.trustForwardedHeaders;
        this.maxMetadataHeaderBytes = builder.maxMetadataHeaderBytes;
        this.maxDrainBytes = builder.maxDrainBytes;
        this.downloads = builder.downloadsOrFail();
        this.downloadOptions = builder.downloads.orElse(null);
    }

    /**
     * Starts a builder for a handler in front of a service.
     *
     * @param service the engine, not null; its storage must store appends
     * @return a new builder
     * @throws IllegalStateException if the service's storage driver cannot store appends
     */
    public static Builder builder(UploadService service) {
        service.appends();
        return new Builder(service);
    }

    /**
     * Handles one request. Never throws: every failure becomes an error response.
     *
     * @param request the request, with its path relative to the mount point, not null
     * @return the response, never null
     */
    @Override
    public HttpResponse handle(HttpRequest request) {
        String method = HandlerTemplate.effectiveMethod(request);
        return HandlerTemplate.handle(request, cors, maxDrainBytes, LOG, new HandlerTemplate.Protocol() {
            @Override
            public List<String> allowedMethods(HttpRequest r) {
                return TusProtocolHandler.this.allowedMethods(HandlerTemplate.uploadRoute(r.path()));
            }

            @Override
            public HttpResponse.Builder dispatch(HttpRequest r) {
                return TusProtocolHandler.this.dispatch(r, method);
            }

            @Override
            public HttpResponse.Builder error(TorrinException e) {
                return TusProtocolHandler.error(e);
            }

            @Override
            public Map<String, String> commonHeaders() {
                return TUS_RESUMABLE;
            }

            @Override
            public List<String> singleValuedHeaders() {
                return SINGLE_VALUED;
            }
        });
    }

    private HttpResponse.Builder dispatch(HttpRequest request, String method) {
        Optional<String> id = HandlerTemplate.uploadRoute(request.path());
        List<String> allowed = allowedMethods(id);
        if (method.equals("OPTIONS")) {
            return options(allowed);
        }
        if (!allowed.contains(method)) {
            return error(new TorrinException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here", Map.of()))
                    .header("Allow", String.join(", ", allowed));
        }
        if (method.equals("GET")) {
            // a download, asked for by browsers and other plain HTTP clients: no Tus-Resumable needed
            RequestContext context = new RequestContext(
                    request.principal(), request.headers(), Map.of(RequestContext.PROTOCOL_ATTRIBUTE, "tus"));
            return DownloadResponses.serve(
                    request,
                    downloads.orElseThrow().open(id.orElseThrow(), context),
                    downloadOptions,
                    TusProtocolHandler::error);
        }
        Optional<String> version = request.header("Tus-Resumable").map(String::trim);
        if (version.isEmpty() || !version.get().equals(VERSION)) {
            return text(HttpResponse.status(412), "Tus-Resumable " + VERSION + " is required")
                    .header("Tus-Version", VERSION);
        }
        RequestContext context = new RequestContext(
                request.principal(), request.headers(), Map.of(RequestContext.PROTOCOL_ATTRIBUTE, "tus"));
        if (id.isEmpty()) {
            return create(request, context);
        }
        String uploadId = id.get();
        return switch (method) {
            case "HEAD" -> head(request, uploadId, context);
            case "PATCH" -> patch(request, uploadId, context);
            default -> terminate(uploadId, context);
        };
    }

    private HttpResponse.Builder options(List<String> allowed) {
        HttpResponse.Builder response = HttpResponse.status(204)
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", String.join(",", extensions))
                .header("Tus-Checksum-Algorithm", String.join(",", TusHeaders.CHECKSUMS.keySet()))
                .header("Allow", String.join(", ", allowed));
        if (service.maxFileSize() < Long.MAX_VALUE) {
            response.header("Tus-Max-Size", Long.toString(service.maxFileSize()));
        }
        return response;
    }

    private HttpResponse.Builder create(HttpRequest request, RequestContext context) {
        Optional<String> concat = request.header("Upload-Concat").map(String::trim);
        Optional<String> lengthHeader = request.header("Upload-Length");
        Optional<String> deferHeader = request.header("Upload-Defer-Length");
        Optional<String> metadataHeader = request.header("Upload-Metadata").filter(value -> !value.isEmpty());
        Map<String, String> metadata = TusHeaders.metadata(metadataHeader, maxMetadataHeaderBytes);
        boolean hasBody = TusHeaders.hasBody(request);
        if (hasBody && !TusHeaders.isOffsetStream(request)) {
            throw new TorrinException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a creation body must be " + TusHeaders.OFFSET_STREAM, Map.of());
        }
        InitUploadRequest.Builder init = InitUploadRequest.builder().metadata(metadata);
        Optional.ofNullable(metadata.get("filename"))
                .filter(name -> !name.isBlank())
                .ifPresent(init::fileName);
        Optional.ofNullable(metadata.get("filetype"))
                .filter(type -> !type.isBlank())
                .ifPresent(init::mimeType);
        String mount = PublicUrls.mountUrl(request, trustForwardedHeaders);
        AppendStatus status;
        if (concat.isPresent() && concat.get().startsWith("final;")) {
            if (!appends.supportsConcatenation()) {
                throw invalid("this server's storage cannot concatenate uploads");
            }
            if (lengthHeader.isPresent() || deferHeader.isPresent()) {
                throw invalid("a final upload takes its length from its parts; send no Upload-Length");
            }
            if (hasBody) {
                throw invalid("a final upload takes no body");
            }
            List<String> parts = partIds(concat.get().substring("final;".length()), request, context);
            status = appends.concatenate(init.build(), parts, attributes("final", metadataHeader), context);
        } else {
            if (concat.isPresent() && !concat.get().equals("partial")) {
                throw invalid("Upload-Concat must be 'partial' or 'final;<urls>'");
            }
            if (lengthHeader.isPresent() == deferHeader.isPresent()) {
                throw invalid("send exactly one of Upload-Length and Upload-Defer-Length");
            }
            if (deferHeader.isPresent() && !deferHeader.get().trim().equals("1")) {
                throw invalid("Upload-Defer-Length must be 1");
            }
            if (lengthHeader.isPresent()) {
                long length = TusHeaders.number(lengthHeader.get(), "Upload-Length");
                if (length > service.maxFileSize()) {
                    throw new TorrinException(
                            ErrorCode.FILE_TOO_LARGE,
                            "Upload-Length is above Tus-Max-Size " + service.maxFileSize(),
                            Map.of());
                }
                if (hasBody && TusHeaders.contentLength(request).orElse(0) > length) {
                    throw new TorrinException(
                            ErrorCode.PAYLOAD_TOO_LARGE, "the body is longer than Upload-Length", Map.of());
                }
                init.fileSize(length);
            }
            status = appends.initUpload(
                    init.build(), attributes(concat.isPresent() ? "partial" : null, metadataHeader), context);
        }
        String location = mount + "/" + status.uploadId();
        HttpResponse.Builder response = HttpResponse.status(201).header("Location", location);
        if (hasBody && status.session().state().isActive()) {
            try {
                status = appends.append(appendRequest(request, status.uploadId(), 0), context);
            } catch (TorrinException e) {
                // the upload exists: the error goes back with its Location, so the client can resume it
                throw HandlerTemplate.withLocation(e, location);
            }
        }
        if (!isUnfinishedFinal(status)) {
            response.header("Upload-Offset", Long.toString(status.offset()));
        }
        expires(status, response);
        ResponseFields.headers(response, status.responseFields());
        return response;
    }

    private HttpResponse.Builder head(HttpRequest request, String uploadId, RequestContext context) {
        appends.interruptAppend(uploadId, context);
        AppendStatus status = appends.getStatus(uploadId, context);
        if (status.session().state() == UploadState.CANCELED) {
            throw gone(uploadId);
        }
        UploadSession session = status.session();
        HttpResponse.Builder response = HttpResponse.status(200).header("Cache-Control", "no-store");
        String concat = status.attributes().get(CONCAT_ATTRIBUTE);
        if (isUnfinishedFinal(status)) {
            partsLength(status, context).ifPresent(length -> response.header("Upload-Length", Long.toString(length)));
        } else {
            response.header("Upload-Offset", Long.toString(status.offset()));
            if (session.fileSize().isPresent()) {
                response.header(
                        "Upload-Length", Long.toString(session.fileSize().getAsLong()));
            } else {
                response.header("Upload-Defer-Length", "1");
            }
        }
        String metadata = status.attributes().get(METADATA_ATTRIBUTE);
        if (metadata != null) {
            response.header("Upload-Metadata", metadata);
        }
        if ("partial".equals(concat)) {
            response.header("Upload-Concat", "partial");
        } else if ("final".equals(concat)) {
            String mount = PublicUrls.mountUrl(request, trustForwardedHeaders);
            List<String> urls = new ArrayList<>();
            for (String part :
                    status.attributes().get(AppendUploads.PARTS_ATTRIBUTE).split(" ")) {
                urls.add(mount + "/" + part);
            }
            response.header("Upload-Concat", "final;" + String.join(" ", urls));
        }
        expires(status, response);
        ResponseFields.headers(response, status.responseFields());
        return response;
    }

    /** The length of an unfinished final upload, if all its parts know theirs. */
    private OptionalLong partsLength(AppendStatus status, RequestContext context) {
        long total = 0;
        for (String part :
                status.attributes().get(AppendUploads.PARTS_ATTRIBUTE).split(" ")) {
            AppendStatus partStatus;
            try {
                partStatus = appends.getStatus(part, context);
            } catch (TorrinException e) {
                return OptionalLong.empty();
            }
            if (partStatus.session().fileSize().isEmpty()) {
                return OptionalLong.empty();
            }
            total += partStatus.session().fileSize().getAsLong();
        }
        return OptionalLong.of(total);
    }

    private HttpResponse.Builder patch(HttpRequest request, String uploadId, RequestContext context) {
        if (!TusHeaders.isOffsetStream(request)) {
            throw new TorrinException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a PATCH body must be " + TusHeaders.OFFSET_STREAM, Map.of());
        }
        long offset = TusHeaders.number(
                request.header("Upload-Offset").orElseThrow(() -> invalid("Upload-Offset is required")),
                "Upload-Offset");
        AppendStatus status;
        try {
            status = appends.append(appendRequest(request, uploadId, offset), context);
        } catch (TorrinException e) {
            if (e.code() == ErrorCode.UPLOAD_CANCELED) {
                throw gone(uploadId);
            }
            throw e;
        }
        HttpResponse.Builder response =
                HttpResponse.status(204).header("Upload-Offset", Long.toString(status.offset()));
        expires(status, response);
        ResponseFields.headers(response, status.responseFields());
        return response;
    }

    private HttpResponse.Builder terminate(String uploadId, RequestContext context) {
        if (!appends.terminateUpload(uploadId, context)) {
            throw gone(uploadId);
        }
        return HttpResponse.status(204);
    }

    private AppendRequest appendRequest(HttpRequest request, String uploadId, long offset) {
        OptionalLong declared = request.header("Upload-Length")
                .map(value -> OptionalLong.of(TusHeaders.number(value, "Upload-Length")))
                .orElse(OptionalLong.empty());
        Optional<BodyChecksum> checksum = TusHeaders.checksum(request);
        OptionalLong length = TusHeaders.contentLength(request);
        InputStream body;
        try {
            body = request.body();
        } catch (IOException e) {
            throw invalid("the request body could not be read");
        }
        return new AppendRequest(uploadId, offset, length, declared, checksum, body);
    }

    private List<String> partIds(String urls, HttpRequest request, RequestContext context) {
        List<String> prefixes = List.of(
                URI.create(PublicUrls.mountUrl(request, trustForwardedHeaders)).getRawPath() + "/",
                URI.create(PublicUrls.mountUrl(request, false)).getRawPath() + "/");
        List<String> ids = new ArrayList<>();
        for (String url : urls.trim().split(" +")) {
            String path;
            try {
                path = URI.create(url).getRawPath();
            } catch (IllegalArgumentException e) {
                throw invalid("Upload-Concat holds a malformed URL");
            }
            String id = "";
            for (String prefix : prefixes) {
                if (path != null && path.startsWith(prefix)) {
                    id = path.substring(prefix.length());
                    break;
                }
            }
            if (!UploadIds.isWellFormed(id)) {
                throw invalid("Upload-Concat names no upload of this server: " + Errors.printable(url, 200));
            }
            AppendStatus part;
            try {
                part = appends.getStatus(id, context);
            } catch (TorrinException e) {
                if (e.code() == ErrorCode.UPLOAD_NOT_FOUND || e.code() == ErrorCode.INVALID_REQUEST) {
                    throw invalid("Upload-Concat names an unknown upload: " + Errors.printable(url, 200));
                }
                throw e;
            }
            if (!"partial".equals(part.attributes().get(CONCAT_ATTRIBUTE))) {
                throw invalid("Upload-Concat names an upload that is not partial: " + Errors.printable(url, 200));
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw invalid("Upload-Concat final needs at least one upload");
        }
        return ids;
    }

    private static Map<String, String> attributes(String concat, Optional<String> metadataHeader) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (concat != null) {
            attributes.put(CONCAT_ATTRIBUTE, concat);
        }
        metadataHeader.ifPresent(header -> attributes.put(METADATA_ATTRIBUTE, header));
        return attributes;
    }

    private static boolean isUnfinishedFinal(AppendStatus status) {
        return "final".equals(status.attributes().get(CONCAT_ATTRIBUTE)) && !status.isFinished();
    }

    private static void expires(AppendStatus status, HttpResponse.Builder response) {
        if (status.session().state().isActive()) {
            response.header("Upload-Expires", HTTP_DATE.format(status.session().expiresAt()));
        }
    }

    private List<String> allowedMethods(Optional<String> id) {
        return id.isEmpty() ? ROOT_METHODS : downloads.isPresent() ? DOWNLOAD_UPLOAD_METHODS : UPLOAD_METHODS;
    }

    private static HttpResponse.Builder error(TorrinException e) {
        int status = Errors.tusStatus(e);
        return HandlerTemplate.retryAndLocation(e, status, text(HttpResponse.status(status), e.getMessage()));
    }

    private static HttpResponse.Builder text(HttpResponse.Builder response, String message) {
        return response.header("Content-Type", "text/plain; charset=utf-8")
                .body((message == null ? "" : message).getBytes(StandardCharsets.UTF_8));
    }

    private static TorrinException gone(String uploadId) {
        return new TorrinException(
                ErrorCode.UPLOAD_CANCELED, "the upload was terminated", Map.of("uploadId", uploadId));
    }

    private static TorrinException invalid(String message) {
        return new TorrinException(ErrorCode.INVALID_REQUEST, message, Map.of());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** Builds a {@link TusProtocolHandler}. Not thread-safe. */
    public static final class Builder extends ProtocolHandlerBuilder<Builder> {
        private int maxMetadataHeaderBytes = 4096;

        private Builder(UploadService service) {
            super(service);
        }

        /**
         * Sets the longest {@code Upload-Metadata} header accepted (400 above it). Default 4096.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxMetadataHeaderBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMetadataHeaderBytes must be positive");
            }
            this.maxMetadataHeaderBytes = bytes;
            return this;
        }

        /**
         * Builds the handler.
         *
         * @return the handler
         */
        public TusProtocolHandler build() {
            return new TusProtocolHandler(this);
        }
    }
}
