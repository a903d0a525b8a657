/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.tus.RawExchange.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The fixture and helpers of {@link TusProtocolConformanceKit}: the HTTP client, request and assertion helpers, and
 * the hooks a subclass implements. The kit's groups are spread over this class, {@link TusCoreConformance} and the
 * kit itself only to keep each file small; subclass {@link TusProtocolConformanceKit}.
 */
public abstract class TusConformanceSupport {

    /** The protocol version the suite speaks. */
    protected static final String VERSION = "1.0.0";
    /** The media type of upload bytes. */
    protected static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    static final List<String> EXTENSIONS = List.of(
            "creation",
            "creation-with-upload",
            "creation-defer-length",
            "expiration",
            "checksum",
            "checksum-trailer",
            "termination",
            "concatenation",
            "concatenation-unfinished");
    static final Pattern IMF_FIXDATE = Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d "
            + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
    static final Pattern STRICT_BASE64 =
            Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|" + "[A-Za-z0-9+/]{3}=)?");
    static final String ORIGIN = "http://conformance.example";
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);

    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * Returns the absolute URL of the tus creation endpoint, without a trailing slash, for example
     * {@code http://127.0.0.1:PORT/tus}.
     *
     * @return the URL
     */
    protected abstract URI creationUrl();

    /**
     * Returns the maximum size of an upload the server accepts, as it advertises in {@code Tus-Max-Size}; at least
     * 1 MiB.
     *
     * @return the size in bytes
     */
    protected abstract long maxSize();

    /**
     * Reads the bytes the server stored for a complete upload, for suites that can see its storage.
     *
     * @param uploadUrl the absolute URL of the upload
     * @return the stored bytes, or empty if this suite cannot see the storage (the default)
     * @throws IOException if reading fails
     */
    protected Optional<byte[]> storedBytes(URI uploadUrl) throws IOException {
        return Optional.empty();
    }

    /**
     * Tells whether the server answers browsers' cross-origin requests (allowing every origin); when not, the CORS
     * tests check that it grants no origin instead.
     *
     * @return {@code true} by default
     */
    protected boolean corsEnabled() {
        return true;
    }

    // ----------------------------------------------------------------------------------------------- requests

    /**
     * Sends a request with the JDK client. {@code Tus-Resumable: 1.0.0} is added unless the pairs name that header;
     * a later pair replaces an earlier one of the same name and a {@code null} value leaves the header out. The
     * answer must carry {@code Tus-Resumable: 1.0.0}.
     *
     * @param method the method
     * @param url the absolute URL
     * @param body the body, or null for none
     * @param headers header name/value pairs
     * @return the answer
     * @throws Exception if the request fails
     */
    protected Reply send(String method, URI url, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        headerMap(headers).forEach(request::header);
        HttpResponse<Void> response = client.send(request.build(), BodyHandlers.discarding());
        return tusResumable(new Reply(method + " " + url, response.statusCode(), response.headers()));
    }

    /**
     * Sends a request over a raw socket with a chunked body and trailer fields, with the header rules of
     * {@link #send}.
     *
     * @param method the method
     * @param url the absolute URL
     * @param chunks the body in chunks
     * @param trailers the trailer fields
     * @param headers header name/value pairs
     * @return the answer
     * @throws IOException if the connection fails
     */
    protected Reply sendChunked(
            String method, URI url, List<byte[]> chunks, Map<String, String> trailers, String... headers)
            throws IOException {
        return tusResumable(RawExchange.sendChunked(url, method, headerMap(headers), chunks, trailers));
    }

    static Map<String, String> headerMap(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put("Tus-Resumable", VERSION);
        for (int i = 0; i < pairs.length; i += 2) {
            map.remove(pairs[i]);
            map.put(pairs[i], pairs[i + 1]);
        }
        map.values().removeIf(value -> value == null);
        return map;
    }

    static String[] concat(String[] first, String... second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static Reply tusResumable(Reply reply) {
        assertThat(reply.headers().allValues("Tus-Resumable"))
                .as("Tus-Resumable of the answer %d to %s", reply.status(), reply.request())
                .containsExactly(VERSION);
        return reply;
    }

    Reply options(URI url, String... headers) throws Exception {
        return send("OPTIONS", url, null, concat(new String[] {"Tus-Resumable", null}, headers));
    }

    Reply create(byte[] body, String... headers) throws Exception {
        return send("POST", creationUrl(), body, headers);
    }

    Reply head(URI url, String... headers) throws Exception {
        return send("HEAD", url, null, headers);
    }

    Reply patch(URI url, long offset, byte[] body, String... headers) throws Exception {
        return send(
                "PATCH",
                url,
                body,
                concat(
                        new String[] {"Content-Type", OFFSET_OCTET_STREAM, "Upload-Offset", Long.toString(offset)},
                        headers));
    }

    Reply delete(URI url) throws Exception {
        return send("DELETE", url, null);
    }

    // ------------------------------------------------------------------------------------------------ answers

    static Reply expect(Reply reply, int status) {
        assertThat(reply.status())
                .as(
                        "status of the answer to %s, headers %s",
                        reply.request(), reply.headers().map())
                .isEqualTo(status);
        return reply;
    }

    static Reply expectOneOf(Reply reply, Integer... statuses) {
        assertThat(reply.status())
                .as(
                        "status of the answer to %s, headers %s",
                        reply.request(), reply.headers().map())
                .isIn((Object[]) statuses);
        return reply;
    }

    static Optional<String> header(Reply reply, String name) {
        return reply.headers().firstValue(name);
    }

    static String required(Reply reply, String name) {
        return header(reply, name)
                .orElseThrow(() -> new AssertionError(name + " is missing from the answer " + reply.status() + " to "
                        + reply.request() + ", headers " + reply.headers().map()));
    }

    static long number(Reply reply, String name) {
        String value = required(reply, name);
        assertThat(value).as("%s of the answer to %s", name, reply.request()).matches("\\d{1,19}");
        return Long.parseLong(value);
    }

    /** The elements of a comma-separated header, trimmed, over all its lines. */
    static List<String> list(Reply reply, String name) {
        List<String> elements = new ArrayList<>();
        for (String line : reply.headers().allValues(name)) {
            for (String element : line.split(",")) {
                if (!element.isBlank()) {
                    elements.add(element.trim());
                }
            }
        }
        return elements;
    }

    static List<String> lowerCaseList(Reply reply, String name) {
        return list(reply, name).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    static void assertNothingCreated(Reply reply) {
        assertThat(reply.headers().firstValue("Location"))
                .as("Location of the answer %d to %s", reply.status(), reply.request())
                .isEmpty();
    }

    static void assertExpiresInFuture(Reply reply) {
        String value = required(reply, "Upload-Expires");
        assertThat(value)
                .as("Upload-Expires of the answer to %s is an IMF-fixdate", reply.request())
                .matches(IMF_FIXDATE);
        Instant expires =
                ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(expires)
                .as("Upload-Expires of the answer to %s", reply.request())
                .isAfterOrEqualTo(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    // ------------------------------------------------------------------------------------------------ uploads

    /**
     * An upload created for a test: its absolute URL and the random bytes meant for it.
     *
     * @param url the upload URL
     * @param data the bytes
     */
    protected record Upload(URI url, byte[] data) {
        byte[] slice(long from, long to) {
            return Arrays.copyOfRange(data, Math.toIntExact(from), Math.toIntExact(to));
        }
    }

    URI location(Reply reply) {
        expect(reply, 201);
        return creationUrl().resolve(required(reply, "Location"));
    }

    /**
     * Creates an upload of {@code size} random bytes with {@code Upload-Length}.
     *
     * @param size the length
     * @param headers extra creation headers
     * @return the upload, at offset 0
     * @throws Exception if the server refuses
     */
    protected Upload newUpload(int size, String... headers) throws Exception {
        assertThat((long) size)
                .as("the suite needs uploads of %d bytes (Tus-Max-Size)", size)
                .isLessThanOrEqualTo(maxSize());
        URI url = location(create(null, concat(new String[] {"Upload-Length", Integer.toString(size)}, headers)));
        return new Upload(url, TestFiles.randomBytes(size));
    }

    Upload newPartial(int size) throws Exception {
        Upload upload = newUpload(size, "Upload-Concat", "partial");
        Reply head = expect(head(upload.url()), 200);
        assertThat(required(head, "Upload-Concat")).isEqualTo("partial");
        assertThat(number(head, "Upload-Offset")).isZero();
        assertThat(number(head, "Upload-Length")).isEqualTo(size);
        return upload;
    }

    /** HEAD: 200, not cacheable, and the offset (never more than the length, if one is reported). */
    long offsetOf(URI url) throws Exception {
        Reply head = expect(head(url), 200);
        assertThat(head.headers().allValues("Cache-Control"))
                .as("Cache-Control of the answer to %s", head.request())
                .anySatisfy(value -> assertThat(value.toLowerCase(Locale.ROOT)).contains("no-store"));
        long offset = number(head, "Upload-Offset");
        if (head.headers().firstValue("Upload-Length").isPresent()) {
            assertThat(offset).isLessThanOrEqualTo(number(head, "Upload-Length"));
        }
        return offset;
    }

    void assertOffset(URI url, long expected) throws Exception {
        assertThat(offsetOf(url)).as("Upload-Offset of HEAD %s", url).isEqualTo(expected);
    }

    /** Sends the rest of an upload in one PATCH, then verifies it. */
    void finish(Upload upload) throws Exception {
        long offset = offsetOf(upload.url());
        Reply done = expect(patch(upload.url(), offset, upload.slice(offset, upload.data().length)), 204);
        assertThat(number(done, "Upload-Offset")).isEqualTo(upload.data().length);
        assertComplete(upload.url(), upload.data());
    }

    /** HEAD reports offset = length = the data's length; the stored bytes, where visible, are the data. */
    void assertComplete(URI url, byte[] data) throws Exception {
        Reply head = expect(head(url), 200);
        assertThat(number(head, "Upload-Offset"))
                .as("Upload-Offset of HEAD %s", url)
                .isEqualTo(data.length);
        assertThat(number(head, "Upload-Length"))
                .as("Upload-Length of HEAD %s", url)
                .isEqualTo(data.length);
        Optional<byte[]> stored = storedBytes(url);
        stored.ifPresent(bytes -> assertThat(TestFiles.sha256(bytes))
                .as("SHA-256 of the bytes stored for %s", url)
                .isEqualTo(TestFiles.sha256(data)));
    }

    /**
     * Returns the URL of an upload that does not exist: a real upload's id with its characters shuffled, so that it
     * has the server's id format.
     */
    URI unknownUrl() throws Exception {
        Upload probe = newUpload(1);
        String path = probe.url().getRawPath();
        String id = path.substring(path.lastIndexOf('/') + 1);
        List<Character> chars = new ArrayList<>();
        for (char c : id.toCharArray()) {
            chars.add(c);
        }
        String other = id;
        for (int attempt = 0; other.equals(id) && attempt < 100; attempt++) {
            Collections.shuffle(chars);
            StringBuilder shuffled = new StringBuilder();
            chars.forEach(shuffled::append);
            other = shuffled.toString();
        }
        assertThat(other).as("an id different from %s", id).isNotEqualTo(id);
        return probe.url().resolve(path.substring(0, path.lastIndexOf('/') + 1) + other);
    }

    static String checksum(String algorithm, byte[] data) {
        String jdkName = switch (algorithm) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            default -> throw new IllegalArgumentException(algorithm);
        };
        try {
            return algorithm + " "
                    + Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance(jdkName).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses an Upload-Metadata value into key to hex of the decoded value ("" when there is none). */
    static Map<String, String> decodedMetadata(String header) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : header.split(",", -1)) {
            String[] parts = pair.trim().split(" ", -1);
            assertThat(parts.length)
                    .as("pair %s of Upload-Metadata %s", pair, header)
                    .isBetween(1, 2);
            String value = parts.length == 2 ? parts[1] : "";
            assertThat(value)
                    .as("value of %s in Upload-Metadata %s is base64 with padding", parts[0], header)
                    .matches(STRICT_BASE64);
            assertThat(pairs.put(
                            parts[0],
                            HexFormat.of().formatHex(Base64.getDecoder().decode(value))))
                    .as("key %s repeated in Upload-Metadata %s", parts[0], header)
                    .isNull();
        }
        return pairs;
    }

    static int effectivePort(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    static String reference(Upload upload, boolean path) {
        return path ? upload.url().getRawPath() : upload.url().toString();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] whole = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        return whole;
    }

    void assertFinalConcat(Reply head, Upload... partials) {
        String value = required(head, "Upload-Concat");
        assertThat(value).startsWith("final;");
        List<String> paths = Arrays.stream(
                        value.substring("final;".length()).trim().split(" +"))
                .map(reference -> creationUrl().resolve(reference).getRawPath())
                .toList();
        assertThat(paths)
                .as("the partials listed by %s", value)
                .containsExactlyElementsOf(
                        Arrays.stream(partials).map(p -> p.url().getRawPath()).toList());
    }
}
