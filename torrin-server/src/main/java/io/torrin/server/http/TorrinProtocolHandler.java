/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.core.ChunkRequest;
import io.torrin.core.ChunkResult;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadStatus;
import io.torrin.server.Downloads;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadService;
import io.torrin.server.internal.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Torrin wire protocol (v1) over the neutral exchange: five routes below a mount point (six with downloads),
 * JSON bodies, the
 * error envelope {@code {"error": {"code", "message", "details"}}}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code POST /}</td><td>create; 201 with the session and {@code Location}</td></tr>
 *   <tr><td>{@code PUT /{id}/chunks/{index}}</td><td>store a chunk (raw body, streamed)</td></tr>
 *   <tr><td>{@code GET /{id}/status}</td><td>status, {@code Cache-Control: no-store}</td></tr>
 *   <tr><td>{@code POST /{id}/complete}</td><td>complete, optional {@code {"hash"}}</td></tr>
 *   <tr><td>{@code DELETE /{id}}</td><td>abort; 204</td></tr>
 *   <tr><td>{@code GET|HEAD /{id}/content}</td><td>download a completed upload (when switched on with
 *       {@link ProtocolHandlerBuilder#downloads}): ranges, validators, conditional requests; see
 *       {@code docs/downloads.md}</td></tr>
 * </table>
 *
 * <p>Parsing is strict: malformed JSON, duplicate keys, wrong types, non-integral numbers, indices such as
 * {@code "1.5"}, malformed ids, oversized JSON bodies, unknown routes and wrong methods (405 with {@code Allow})
 * each get a precise error and never a 500. Chunk bodies go straight to the service as a stream; a body without
 * {@code Content-Length} (chunked transfer encoding) is accepted and its exact byte count verified.
 *
 * <p>Thread-safe; one instance serves all requests. Build it with {@link #builder(UploadService)}.
 */
public final class TorrinProtocolHandler implements HttpHandler {

    /** The request header carrying a chunk's SHA-256. */
    public static final String CHUNK_HASH_HEADER = "X-Torrin-Chunk-Hash";

    private static final Logger LOG = LoggerFactory.getLogger(TorrinProtocolHandler.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern INDEX = Pattern.compile("-?[0-9]{1,10}");
    private static final List<String> ROOT_METHODS = List.of("POST", "OPTIONS");
    private static final List<String> SINGLE_VALUED = List.of("Content-Length", "Content-Type", CHUNK_HASH_HEADER);
    private static final List<String> UPLOAD_METHODS = List.of("DELETE", "OPTIONS");
    private static final List<String> CHUNK_METHODS = List.of("PUT", "OPTIONS");
    private static final List<String> STATUS_METHODS = List.of("GET", "OPTIONS");
    private static final List<String> COMPLETE_METHODS = List.of("POST", "OPTIONS");

    private final UploadService service;
    private final CorsPolicy cors;
    private final boolean trustForwardedHeaders;
    private final int maxJsonBytes;
    private final long maxDrainBytes;
    private final Optional<Downloads> downloads;
    private final DownloadOptions downloadOptions;

    private TorrinProtocolHandler(Builder builder) {
        this.service = builder.service;
        this.cors = builder.cors;
        this.trustForwardedHeaders = builder.trustForwardedHeaders;
        this.maxJsonBytes = builder.maxJsonBytes;
        this.maxDrainBytes = builder.maxDrainBytes;
        this.downloads = builder.downloadsOrFail();
        this.downloadOptions = builder.downloads.orElse(null);
    }

    /**
     * Starts a builder for a handler in front of a service.
     *
     * @param service the engine, not null
     * @return a new builder
     */
    public static Builder builder(UploadService service) {
        return new Builder(service);
    }

    /**
     * Handles one request. Never throws: every failure becomes an error response.
     *
     * @param request the request, not null
     * @return the response, never null
     */
    @Override
    public HttpResponse handle(HttpRequest request) {
        return HandlerTemplate.handle(request, cors, maxDrainBytes, LOG, new HandlerTemplate.Protocol() {
            @Override
            public List<String> allowedMethods(HttpRequest r) {
                return TorrinProtocolHandler.allowedMethods(route(r.path(), downloads.isPresent()));
            }

            @Override
            public HttpResponse.Builder dispatch(HttpRequest r) {
                return TorrinProtocolHandler.this.dispatch(r);
            }

            @Override
            public HttpResponse.Builder error(TorrinException e) {
                return TorrinProtocolHandler.error(e);
            }

            @Override
            public List<String> singleValuedHeaders() {
                return SINGLE_VALUED;
            }
        });
    }

    private HttpResponse.Builder dispatch(HttpRequest request) {
        String[] route = route(request.path(), downloads.isPresent());
        List<String> allowed = allowedMethods(route);
        String method = request.method(); // method tokens are case-sensitive: 'put' is not PUT (405)
        if (method.equals("OPTIONS")) {
            return HttpResponse.status(204).header("Allow", String.join(", ", allowed));
        }
        if (!allowed.contains(method)) {
            return error(new TorrinException(
                            ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here", Map.of("allow", allowed)))
                    .header("Allow", String.join(", ", allowed));
        }
        RequestContext context = new RequestContext(
                request.principal(), request.headers(), Map.of(RequestContext.PROTOCOL_ATTRIBUTE, "torrin"));
        return switch (route.length) {
            case 0 -> create(request, context);
            case 1 -> abort(route[0], context);
            case 2 ->
                switch (route[1]) {
                    case "status" -> status(route[0], context);
                    case "content" -> download(route[0], request, context);
                    default -> complete(route[0], request, context);
                };
            default -> chunk(route[0], route[2], request, context);
        };
    }

    private HttpResponse.Builder create(HttpRequest request, RequestContext context) {
        byte[] raw = readJsonBytes(request, true);
        JsonNode body = parseJson(raw);
        if (!body.isObject()) {
            throw invalid("the request body must be a JSON object");
        }
        InitUploadRequest.Builder init = InitUploadRequest.builder();
        JsonNode fileSize = body.get("fileSize");
        if (fileSize == null || fileSize.isNull()) {
            throw invalid("fileSize is required");
        }
        init.fileSize(positiveLong(fileSize, "fileSize"));
        optionalText(body, "fileName").ifPresent(init::fileName);
        optionalText(body, "mimeType").ifPresent(init::mimeType);
        JsonNode desired = body.get("desiredChunkSize");
        if (desired != null && !desired.isNull()) {
            init.desiredChunkSize(positiveLong(desired, "desiredChunkSize"));
        }
        TorrinMetadata.Parsed metadata = TorrinMetadata.parse(raw, body.get("metadata"));
        init.metadata(metadata.values());
        UploadSession session = service.initUpload(init.build(), metadata.attributes(), context);
        ObjectNode json = sessionJson(session, metadata.attributes());
        String location = PublicUrls.mountUrl(request, trustForwardedHeaders) + "/" + session.uploadId();
        return noStore(HttpResponse.status(201)).header("Location", location).json(bytes(json));
    }

    private HttpResponse.Builder chunk(String uploadId, String indexText, HttpRequest request, RequestContext context) {
        if (!INDEX.matcher(indexText).matches() || (indexText.length() > 1 && indexText.charAt(0) == '0')) {
            throw invalid("chunk index must be a non-negative integer without sign, fraction or leading zeros");
        }
        long parsed = Long.parseLong(indexText);
        if (parsed < 0 || parsed > Integer.MAX_VALUE) {
            throw new TorrinException(
                    ErrorCode.CHUNK_OUT_OF_RANGE,
                    "chunk index " + indexText + " is out of range",
                    Map.of("index", parsed));
        }
        OptionalLong declared = contentLength(request);
        Optional<String> hash = request.header(CHUNK_HASH_HEADER).map(String::trim);
        ChunkResult result;
        try (InputStream body = request.body()) {
            result = service.handleChunk(new ChunkRequest(uploadId, (int) parsed, declared, body, hash), context);
        } catch (IOException e) {
            throw new TorrinException(
                    ErrorCode.CHUNK_SIZE_MISMATCH, "the chunk body could not be read", Map.of("interrupted", true), e);
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("uploadId", result.uploadId());
        json.put("receivedIndex", result.receivedIndex());
        json.put("status", result.state().wireName());
        return noStore(HttpResponse.status(200)).json(bytes(json));
    }

    private HttpResponse.Builder status(String uploadId, RequestContext context) {
        UploadStatus status = service.getStatus(uploadId, context);
        UploadSession session = status.session();
        ObjectNode json = JSON.createObjectNode();
        json.put("uploadId", session.uploadId());
        json.put("status", session.state().wireName());
        json.put("fileName", session.fileName().orElse(null));
        json.put("fileSize", session.knownFileSize());
        json.put("chunkSize", session.chunkSize());
        json.put("totalChunks", session.totalChunks());
        ArrayNode received = json.putArray("receivedChunks");
        status.receivedChunks().forEach(received::add);
        ArrayNode missing = json.putArray("missingChunks");
        status.missingChunks().forEach(missing::add);
        json.put("expiresAt", TIMESTAMP.format(session.expiresAt()));
        return noStore(HttpResponse.status(200)).json(bytes(json));
    }

    private HttpResponse.Builder complete(String uploadId, HttpRequest request, RequestContext context) {
        JsonNode body = readJson(request, false);
        Optional<String> hash = Optional.empty();
        if (body != null) {
            if (!body.isObject()) {
                throw invalid("the request body must be a JSON object");
            }
            hash = optionalText(body, "hash");
        }
        CompleteResult result = service.completeUpload(uploadId, hash, context);
        UploadSession session = result.session();
        ObjectNode json = JSON.createObjectNode();
        json.put("uploadId", session.uploadId());
        json.put("status", session.state().wireName());
        json.put("fileName", session.fileName().orElse(null));
        json.put("fileSize", session.knownFileSize());
        ObjectNode location = json.putObject("location");
        StorageLocation stored = result.location();
        location.put("type", stored.type());
        stored.attributes().forEach(location::put);
        json.set("metadata", TorrinMetadata.render(session.metadata(), result.attributes()));
        ResponseFields.json(json, result.responseFields());
        return noStore(HttpResponse.status(200)).json(bytes(json));
    }

    private HttpResponse.Builder download(String uploadId, HttpRequest request, RequestContext context) {
        return DownloadResponses.serve(
                request,
                downloads.orElseThrow().open(uploadId, context),
                downloadOptions,
                TorrinProtocolHandler::error);
    }

    private HttpResponse.Builder abort(String uploadId, RequestContext context) {
        service.abortUpload(uploadId, context);
        return noStore(HttpResponse.status(204));
    }

    private static String[] route(String path, boolean downloads) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] parts = trimmed.split("/", -1);
        boolean valid = switch (parts.length) {
            case 1 -> !parts[0].isEmpty();
            case 2 ->
                !parts[0].isEmpty()
                        && (parts[1].equals("status")
                                || parts[1].equals("complete")
                                || (downloads && parts[1].equals("content")));
            case 3 -> !parts[0].isEmpty() && parts[1].equals("chunks") && !parts[2].isEmpty();
            default -> false;
        };
        if (!valid) {
            throw new TorrinException(
                    ErrorCode.ROUTE_NOT_FOUND, "no such route: " + Errors.printable(path, 100), Map.of());
        }
        return parts;
    }

    private static List<String> allowedMethods(String[] route) {
        return switch (route.length) {
            case 0 -> ROOT_METHODS;
            case 1 -> UPLOAD_METHODS;
            case 2 ->
                switch (route[1]) {
                    case "status" -> STATUS_METHODS;
                    case "content" -> DownloadResponses.METHODS;
                    default -> COMPLETE_METHODS;
                };
            default -> CHUNK_METHODS;
        };
    }

    private JsonNode readJson(HttpRequest request, boolean required) {
        byte[] bytes = readJsonBytes(request, required);
        return bytes == null ? null : parseJson(bytes);
    }

    /** Reads a JSON body within the limit: null if it is empty and not required. */
    private byte[] readJsonBytes(HttpRequest request, boolean required) {
        Optional<String> type = request.header("Content-Type");
        if (type.isPresent() && !isJson(type.get())) {
            throw new TorrinException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be application/json",
                    Map.of("contentType", Errors.printable(type.get(), 100)));
        }
        Optional<Long> declared = RequestBodies.declaredLength(request);
        if (declared.isPresent() && declared.get() > maxJsonBytes) {
            throw new TorrinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the JSON body is declared at " + declared.get() + " bytes, more than " + maxJsonBytes,
                    Map.of("maxBytes", maxJsonBytes));
        }
        byte[] bytes;
        try (InputStream body = request.body()) {
            bytes = body.readNBytes(maxJsonBytes + 1);
        } catch (IOException e) {
            throw invalid("the request body could not be read");
        }
        if (bytes.length > maxJsonBytes) {
            throw new TorrinException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the JSON body is larger than " + maxJsonBytes + " bytes",
                    Map.of("maxBytes", maxJsonBytes));
        }
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            if (required) {
                throw invalid("a JSON body is required");
            }
            return null;
        }
        return bytes;
    }

    /** Parses one JSON value with nothing after it (trailing content is refused). */
    private static JsonNode parseJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw invalid("the request body is not valid JSON (or has content after the JSON value)");
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static OptionalLong contentLength(HttpRequest request) {
        Optional<String> header = request.header("Content-Length");
        if (header.isEmpty()) {
            return OptionalLong.empty();
        }
        String value = header.get().trim();
        if (!value.matches("[0-9]{1,18}")) {
            throw invalid("Content-Length must be a non-negative integer");
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    private static long positiveLong(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(field + " must be an integer");
        }
        long value = node.longValue();
        if (value < 1) {
            throw invalid(field + " must be a positive integer");
        }
        return value;
    }

    private static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return Optional.of(node.textValue());
    }

    private static ObjectNode sessionJson(UploadSession session, Map<String, String> attributes) {
        ObjectNode json = JSON.createObjectNode();
        json.put("uploadId", session.uploadId());
        json.put("fileName", session.fileName().orElse(null));
        json.put("fileSize", session.knownFileSize());
        json.put("mimeType", session.mimeType());
        json.put("chunkSize", session.chunkSize());
        json.put("totalChunks", session.totalChunks());
        json.set("metadata", TorrinMetadata.render(session.metadata(), attributes));
        json.put("status", session.state().wireName());
        json.put("expiresAt", TIMESTAMP.format(session.expiresAt()));
        return json;
    }

    /**
     * Renders an error as the protocol's envelope, with {@code Retry-After} for retryable lock errors and, for
     * storage errors, {@code details.retryable} as {@link TorrinException#isRetryable()} decides.
     *
     * @param e the error, not null
     * @return a response builder with status, headers and body set
     */
    public static HttpResponse.Builder error(TorrinException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", e.code().name());
        error.put("message", e.getMessage());
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        if (e.code() == ErrorCode.STORAGE_ERROR) {
            details.put("retryable", e.isRetryable());
        }
        if (!details.isEmpty()) {
            error.set("details", JSON.valueToTree(details));
        }
        HttpResponse.Builder response =
                noStore(HttpResponse.status(e.statusCode())).json(bytes(root));
        if (e.code() == ErrorCode.UPLOAD_LOCKED
                || e.code() == ErrorCode.TOO_MANY_UPLOADS
                || e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            Object retry = e.details().getOrDefault("retryAfterSeconds", 1);
            response.header("Retry-After", String.valueOf(retry));
        }
        return response;
    }

    private static HttpResponse.Builder noStore(HttpResponse.Builder response) {
        return response.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
    }

    private static TorrinException invalid(String message) {
        return new TorrinException(ErrorCode.INVALID_REQUEST, message);
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a {@link TorrinProtocolHandler}. Not thread-safe. */
    public static final class Builder extends ProtocolHandlerBuilder<Builder> {
        private int maxJsonBytes = 64 * 1024;

        private Builder(UploadService service) {
            super(service);
        }

        /**
         * Sets the largest JSON request body accepted. Default 64 KiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxJsonBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxJsonBytes must be at least 1024");
            }
            this.maxJsonBytes = bytes;
            return this;
        }

        /**
         * Builds the handler.
         *
         * @return the handler
         */
        public TorrinProtocolHandler build() {
            return new TorrinProtocolHandler(this);
        }
    }
}
