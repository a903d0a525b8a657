/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadState;
import io.torrin.server.AppendUploads;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.internal.Errors;
import io.torrin.server.internal.Validation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IETF draft "Resumable Uploads for HTTP" ({@code draft-ietf-httpbis-resumable-upload}) over the neutral
 * exchange, on the same {@link UploadService} and append model as tus ({@link AppendUploads}): the same hooks,
 * events, expiry, stores and storage. Speaks the revisions of {@link ResumableDraft}, chosen per request by
 * {@code Upload-Draft-Interop-Version} (none: the latest).
 *
 * <ul>
 *   <li>Upload creation: {@code POST} to the mount point with {@code Upload-Complete}, with or without content;
 *       201 with {@code Location}, {@code Upload-Offset}, {@code Upload-Complete} and {@code Upload-Limit}. The
 *       length comes from {@code Upload-Length} or from {@code Upload-Complete: ?1} with {@code Content-Length};
 *       tus-style {@code Upload-Metadata} ({@code filename}, {@code filetype}) is read when present.
 *   <li>Offset retrieval: {@code HEAD} (and, in the latest revision, {@code GET}) of the upload URL; 204 with
 *       {@code Upload-Offset}, {@code Upload-Complete}, {@code Upload-Length} when known, {@code Upload-Limit} and
 *       {@code Cache-Control: no-store}.
 *   <li>Append: {@code PATCH} of the upload URL with {@code Upload-Offset} and {@code Upload-Complete}, and from
 *       interop version 6 {@code Content-Type: application/partial-upload}; 201 (-03, -05) or 204 (latest) with
 *       {@code Upload-Offset} and {@code Upload-Complete}. {@code POST} with {@code X-HTTP-Method-Override: PATCH}
 *       is accepted.
 *   <li>Cancellation: {@code DELETE} of the upload URL; 204, and 404 from then on.
 * </ul>
 *
 * <p>Errors are problem details ({@code application/problem+json}, RFC 9457) carrying Torrin's {@code code}: 409
 * {@code mismatching-upload-offset} (with {@code expected-offset}, {@code provided-offset}, {@code Upload-Offset}
 * and {@code Upload-Complete: ?0}), 400 {@code inconsistent-upload-length}, 400 {@code completed-upload} (-05), 404
 * for an unknown, cancelled or expired upload, 413 above the maximum size, 415 for an append of another media type,
 * 423, 429 and 503 with {@code Retry-After}.
 *
 * <p>An upload whose length is known completes when its last byte is stored, even if that request said
 * {@code Upload-Complete: ?0} (tus-js-client does so when it resumes a file, and never sends a request for an empty
 * file); an empty {@code Upload-Complete: ?1} append at the final offset is then answered as a success. No
 * {@code 104 (Upload Resumption Supported)} is sent: the neutral exchange, like the Servlet API, has no way to send
 * a 1xx response of the application's choosing. See {@code docs/ietf-resumable-uploads.md}.
 *
 * <p>A HEAD, PATCH or DELETE of an upload ends a PATCH of the same upload still running in this process, as in
 * tus, so a client that gave up on a stalled connection resumes at once.
 *
 * <p>Thread-safe; one instance serves all requests. Build it with {@link #builder(UploadService)}; the service's
 * storage must store appends.
 */
public final class ResumableProtocolHandler implements HttpHandler {

    /** The value of {@link RequestContext#PROTOCOL_ATTRIBUTE} for requests of this protocol. */
    public static final String PROTOCOL = "ietf-resumable";

    private static final Logger LOG = LoggerFactory.getLogger(ResumableProtocolHandler.class);
    private static final List<String> ROOT_METHODS = List.of("POST", "OPTIONS");
    private static final List<String> UPLOAD_METHODS = List.of("HEAD", "GET", "PATCH", "DELETE", "OPTIONS");
    private static final List<String> SINGLE_VALUED = List.of(
            ResumableHeaders.INTEROP_VERSION,
            ResumableHeaders.COMPLETE,
            ResumableHeaders.OFFSET,
            ResumableHeaders.LENGTH,
            "Upload-Metadata",
            "Content-Length",
            "Content-Type",
            "X-HTTP-Method-Override");

    private final UploadService service;
    private final AppendUploads appends;
    private final CorsPolicy cors;
    private final boolean trustForwardedHeaders;
    private final long maxDrainBytes;
    /** The longest tus-style {@code Upload-Metadata} accepted, as tus's default. */
    private static final int MAX_METADATA_HEADER_BYTES = 4096;

    private ResumableProtocolHandler(Builder builder) {
        this.service = builder.service;
        this.appends = builder.service.appends();
        this.cors = builder.cors;
        this.trustForwardedHeaders = builder.trustForwardedHeaders;
        this.maxDrainBytes = builder.maxDrainBytes;
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
                return HandlerTemplate.uploadRoute(r.path()).isEmpty() ? ROOT_METHODS : UPLOAD_METHODS;
            }

            @Override
            public HttpResponse.Builder dispatch(HttpRequest r) {
                return ResumableProtocolHandler.this.dispatch(r, method);
            }

            @Override
            public HttpResponse.Builder error(TorrinException e) {
                return ResumableProtocolHandler.error(e);
            }

            @Override
            public List<String> singleValuedHeaders() {
                return SINGLE_VALUED;
            }
        });
    }

    private HttpResponse.Builder dispatch(HttpRequest request, String method) {
        Optional<String> id = HandlerTemplate.uploadRoute(request.path());
        List<String> allowed = id.isEmpty() ? ROOT_METHODS : UPLOAD_METHODS;
        ResumableDraft draft = ResumableHeaders.draft(request);
        if (method.equals("OPTIONS")) {
            HttpResponse.Builder response = HttpResponse.status(204)
                    .header("Allow", String.join(", ", allowed))
                    .header("Accept-Patch", ResumableHeaders.PARTIAL_UPLOAD);
            if (draft.hasLengthAndLimits()) {
                response.header(
                        ResumableHeaders.LIMIT, ResumableHeaders.limit(service.maxFileSize(), OptionalLong.empty()));
            }
            return response;
        }
        if (!allowed.contains(method) || (method.equals("GET") && draft != ResumableDraft.LATEST)) {
            return error(new TorrinException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here", Map.of()))
                    .header("Allow", String.join(", ", allowed));
        }
        RequestContext context = new RequestContext(
                request.principal(), request.headers(), Map.of(RequestContext.PROTOCOL_ATTRIBUTE, PROTOCOL));
        if (id.isEmpty()) {
            return create(request, draft, context);
        }
        return switch (method) {
            case "HEAD", "GET" -> offset(request, draft, id.get(), context);
            case "PATCH" -> append(request, draft, id.get(), context);
            default -> cancel(request, draft, id.get(), context);
        };
    }

    /** Upload creation (-03/-05 §4, latest §4.2). */
    private HttpResponse.Builder create(HttpRequest request, ResumableDraft draft, RequestContext context) {
        boolean complete = ResumableHeaders.complete(request)
                .orElseThrow(() -> Errors.invalid("an upload creation request must carry Upload-Complete"));
        if (request.header(ResumableHeaders.OFFSET).isPresent()) {
            throw Errors.invalid("an upload creation request must not carry Upload-Offset");
        }
        OptionalLong contentLength = TusHeaders.contentLength(request);
        OptionalLong length = declaredLength(request, complete, 0, contentLength);
        if (length.isPresent() && length.getAsLong() > service.maxFileSize()) {
            throw new TorrinException(
                    ErrorCode.FILE_TOO_LARGE,
                    "the upload is larger than this server's maximum of " + service.maxFileSize() + " bytes",
                    Map.of("maxFileSize", service.maxFileSize()));
        }
        if (length.isPresent() && contentLength.orElse(0) > length.getAsLong()) {
            throw ResumableHeaders.inconsistentLength("the content is longer than Upload-Length");
        }
        Map<String, String> metadata = TusHeaders.metadata(
                request.header("Upload-Metadata").filter(value -> !value.isEmpty()), MAX_METADATA_HEADER_BYTES);
        InitUploadRequest.Builder init = InitUploadRequest.builder().metadata(metadata);
        Optional.ofNullable(metadata.get("filename"))
                .filter(name -> !name.isBlank())
                .ifPresent(init::fileName);
        Optional.ofNullable(metadata.get("filetype"))
                .or(() -> request.header("Content-Type")
                        .map(String::trim)
                        .filter(type -> !ResumableHeaders.isPartialUpload(request)))
                .filter(Validation::isMimeType)
                .ifPresent(init::mimeType);
        length.ifPresent(init::fileSize);
        AppendStatus status = appends.initUpload(init.build(), Map.of(), context);
        String location = PublicUrls.mountUrl(request, trustForwardedHeaders) + "/" + status.uploadId();
        if (TusHeaders.hasBody(request) || (complete && !isCompleted(status))) {
            try {
                status = store(request, status.uploadId(), 0, complete, length, contentLength, context);
            } catch (TorrinException e) {
                // the upload exists: the error goes back with its Location, so the client can resume it
                throw HandlerTemplate.withLocation(e, location);
            }
        }
        HttpResponse.Builder response = state(HttpResponse.status(201).header("Location", location), status);
        if (draft.hasLengthAndLimits()) {
            response.header(ResumableHeaders.LIMIT, limit(status));
        }
        return response;
    }

    /** Offset retrieval (-03/-05 §5, latest §4.3). */
    private HttpResponse.Builder offset(
            HttpRequest request, ResumableDraft draft, String uploadId, RequestContext context) {
        refuseUploadFields(request, draft);
        appends.interruptAppend(uploadId, context);
        AppendStatus status = active(appends.getStatus(uploadId, context));
        HttpResponse.Builder response = state(HttpResponse.status(204), status).header("Cache-Control", "no-store");
        status.session().fileSize().ifPresent(size -> response.header(ResumableHeaders.LENGTH, Long.toString(size)));
        if (draft.hasLengthAndLimits()) {
            response.header(ResumableHeaders.LIMIT, limit(status));
        }
        return response;
    }

    /** Upload append (-03/-05 §6, latest §4.4). */
    private HttpResponse.Builder append(
            HttpRequest request, ResumableDraft draft, String uploadId, RequestContext context) {
        if (draft.requiresPartialUploadType() && !ResumableHeaders.isPartialUpload(request)) {
            throw new TorrinException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "an append must be " + ResumableHeaders.PARTIAL_UPLOAD, Map.of());
        }
        boolean complete = ResumableHeaders.complete(request)
                .orElseThrow(() -> Errors.invalid("an append must carry Upload-Complete"));
        long offset = ResumableHeaders.integer(request, ResumableHeaders.OFFSET)
                .orElseThrow(() -> Errors.invalid("an append must carry Upload-Offset"));
        OptionalLong contentLength = TusHeaders.contentLength(request);
        OptionalLong length = declaredLength(request, complete, offset, contentLength);
        AppendStatus status;
        try {
            status = store(request, uploadId, offset, complete, length, contentLength, context);
        } catch (TorrinException e) {
            throw explain(e, draft, uploadId, offset, context);
        }
        return state(HttpResponse.status(draft.appendStatus()), status);
    }

    /** Upload cancellation (-03/-05 §7, latest §4.5). */
    private HttpResponse.Builder cancel(
            HttpRequest request, ResumableDraft draft, String uploadId, RequestContext context) {
        refuseUploadFields(request, draft);
        if (!appends.terminateUpload(uploadId, context)) {
            throw notFound(uploadId);
        }
        return HttpResponse.status(204);
    }

    /**
     * Stores a request's content at an offset. With {@code Upload-Complete: ?1} and no {@code Content-Length}
     * (chunked), the length becomes known only at the end of the body, so it is declared by a second, empty append
     * once the body was read to its end; a body that broke off leaves the upload incomplete.
     */
    private AppendStatus store(
            HttpRequest request,
            String uploadId,
            long offset,
            boolean complete,
            OptionalLong length,
            OptionalLong contentLength,
            RequestContext context) {
        ResumableHeaders.EndAware body;
        try {
            body = new ResumableHeaders.EndAware(request.body());
        } catch (IOException e) {
            throw Errors.invalid("the request body could not be read");
        }
        AppendStatus status = appends.append(
                new AppendRequest(uploadId, offset, contentLength, length, Optional.empty(), body), context);
        if (complete && !isCompleted(status) && contentLength.isEmpty() && body.ended()) {
            status = appends.append(
                    new AppendRequest(
                            uploadId,
                            status.offset(),
                            OptionalLong.of(0),
                            OptionalLong.of(status.offset()),
                            Optional.empty(),
                            new ByteArrayInputStream(new byte[0])),
                    context);
        }
        return status;
    }

    /**
     * The length a request declares: {@code Upload-Length}, or with {@code Upload-Complete: ?1} the offset plus
     * {@code Content-Length}; 400 {@code inconsistent-upload-length} when the two disagree.
     */
    private static OptionalLong declaredLength(
            HttpRequest request, boolean complete, long offset, OptionalLong contentLength) {
        OptionalLong length = ResumableHeaders.integer(request, ResumableHeaders.LENGTH);
        if (complete && contentLength.isPresent()) {
            long end = offset + contentLength.getAsLong();
            if (length.isPresent() && length.getAsLong() != end) {
                throw ResumableHeaders.inconsistentLength("Upload-Length " + length.getAsLong() + " disagrees with the "
                        + end + " bytes of a complete upload");
            }
            return OptionalLong.of(end);
        }
        return length;
    }

    /** Turns an append's failure into the draft's error, looking at the upload where the cause may be its state. */
    private TorrinException explain(
            TorrinException e, ResumableDraft draft, String uploadId, long provided, RequestContext context) {
        ErrorCode code = e.code();
        if (code == ErrorCode.UPLOAD_CANCELED) {
            return notFound(uploadId);
        }
        if (code != ErrorCode.OFFSET_MISMATCH
                && code != ErrorCode.PAYLOAD_TOO_LARGE
                && code != ErrorCode.INVALID_REQUEST) {
            return e;
        }
        AppendStatus status;
        try {
            status = appends.getStatus(uploadId, context);
        } catch (TorrinException unreadable) {
            return e;
        }
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        if (isCompleted(status)) {
            details.put(
                    "problem", draft == ResumableDraft.DRAFT_05 ? ResumableHeaders.COMPLETED_UPLOAD : "about:blank");
            return new TorrinException(ErrorCode.INVALID_REQUEST, "the upload is already complete", details, e);
        }
        if (code == ErrorCode.OFFSET_MISMATCH) {
            details.put("expected-offset", status.offset());
            details.put("provided-offset", provided);
            details.put("problem", ResumableHeaders.MISMATCHING_OFFSET);
            return new TorrinException(code, e.getMessage(), details, e);
        }
        if (code == ErrorCode.PAYLOAD_TOO_LARGE || details.containsKey("fileSize")) {
            details.put("problem", ResumableHeaders.INCONSISTENT_LENGTH);
            return new TorrinException(ErrorCode.INVALID_REQUEST, e.getMessage(), details, e);
        }
        return e;
    }

    /** -03 and -05 refuse offset retrieval and cancellation requests that carry upload fields. */
    private static void refuseUploadFields(HttpRequest request, ResumableDraft draft) {
        if (!draft.refusesUploadFieldsOnHeadAndDelete()) {
            return;
        }
        List<String> fields = draft.hasLengthAndLimits()
                ? List.of(ResumableHeaders.OFFSET, ResumableHeaders.COMPLETE, ResumableHeaders.LENGTH)
                : List.of(ResumableHeaders.OFFSET, ResumableHeaders.COMPLETE);
        for (String field : fields) {
            if (request.header(field).isPresent()) {
                throw Errors.invalid(request.method() + " must not carry " + field);
            }
        }
    }

    private String limit(AppendStatus status) {
        OptionalLong left = status.session().state().isActive()
                ? OptionalLong.of(
                        Duration.between(Instant.now(), status.session().expiresAt())
                                .toSeconds())
                : OptionalLong.empty();
        return ResumableHeaders.limit(service.maxFileSize(), left);
    }

    private static HttpResponse.Builder state(HttpResponse.Builder response, AppendStatus status) {
        response.header(ResumableHeaders.OFFSET, Long.toString(status.offset()))
                .header(ResumableHeaders.COMPLETE, ResumableHeaders.bool(isCompleted(status)));
        ResponseFields.headers(response, status.responseFields());
        return response;
    }

    private static AppendStatus active(AppendStatus status) {
        if (status.session().state() == UploadState.CANCELED) {
            throw notFound(status.uploadId());
        }
        return status;
    }

    private static boolean isCompleted(AppendStatus status) {
        return status.session().state() == UploadState.COMPLETED;
    }

    private static TorrinException notFound(String uploadId) {
        return new TorrinException(
                ErrorCode.UPLOAD_NOT_FOUND, "no such upload: " + uploadId, Map.of("uploadId", uploadId));
    }

    private static HttpResponse.Builder error(TorrinException e) {
        int status = Errors.tusStatus(e);
        if (status == 410) {
            status = 404; // the draft knows no 410: an expired or cancelled upload is simply not there
        } else if (status == 460) {
            status = 400;
        }
        Object problem = e.details().get("problem");
        Map<String, Object> members = new LinkedHashMap<>();
        for (String member : List.of("expected-offset", "provided-offset")) {
            Object value = e.details().get(member);
            if (value != null) {
                members.put(member, value);
            }
        }
        HttpResponse.Builder response =
                ResumableHeaders.problem(status, problem instanceof String type ? type : "about:blank", e, members);
        Object expected = e.details().get("expected-offset");
        if (expected != null) {
            response.header(ResumableHeaders.OFFSET, expected.toString())
                    .header(ResumableHeaders.COMPLETE, ResumableHeaders.bool(false));
        }
        return HandlerTemplate.retryAndLocation(e, status, response);
    }

    /** Builds a {@link ResumableProtocolHandler}. Not thread-safe. */
    public static final class Builder extends ProtocolHandlerBuilder<Builder> {

        private Builder(UploadService service) {
            super(service);
        }

        /**
         * Builds the handler.
         *
         * @return the handler
         * @throws IllegalStateException if downloads were switched on: this protocol serves none (its {@code GET}
         *     of an upload URL is offset retrieval); serve them through the Torrin or tus handler
         */
        public ResumableProtocolHandler build() {
            if (downloads.isPresent()) {
                throw new IllegalStateException("the resumable-upload handler serves no downloads");
            }
            return new ResumableProtocolHandler(this);
        }
    }
}
