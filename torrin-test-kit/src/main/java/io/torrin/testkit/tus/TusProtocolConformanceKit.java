package io.torrin.testkit.tus;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.testkit.TestFiles;
import io.torrin.testkit.http.RawHttp;
import io.torrin.testkit.tus.RawExchange.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Black-box conformance of a tus 1.0.0 server (core protocol and the creation, creation-with-upload,
 * creation-defer-length, expiration, checksum, checksum-trailer, termination, concatenation and
 * concatenation-unfinished extensions), over real HTTP with the JDK {@link HttpClient} and, for chunked bodies
 * with trailers and broken-off requests, raw sockets. A subclass names the creation endpoint and the server's
 * maximum upload size:
 *
 * <pre>{@code
 * class MyTusServerTest extends TusProtocolConformanceKit {
 *     protected URI creationUrl() { return URI.create("http://127.0.0.1:" + port + "/tus"); }
 *     protected long maxSize() { return 64L * 1024 * 1024; }
 * }
 * }</pre>
 *
 * Uploads are expected at {@code creationUrl() + "/" + id}. Every upload carries random bytes; when it is
 * complete, the suite checks the offset and length reported by {@code HEAD} and, if the subclass can read the
 * server's storage through {@link #storedBytes(URI)}, the SHA-256 of the stored bytes (partial and final uploads of
 * the concatenation extension included). The largest upload is
 * 1 MiB, so the server's maximum size must be at least that. Every answer, errors and {@code OPTIONS} included,
 * must carry {@code Tus-Resumable: 1.0.0}.
 */
public abstract class TusProtocolConformanceKit {

    /** The protocol version the suite speaks. */
    protected static final String VERSION = "1.0.0";
    /** The media type of upload bytes. */
    protected static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    private static final List<String> EXTENSIONS = List.of(
            "creation",
            "creation-with-upload",
            "creation-defer-length",
            "expiration",
            "checksum",
            "checksum-trailer",
            "termination",
            "concatenation",
            "concatenation-unfinished");
    private static final Pattern IMF_FIXDATE = Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d "
            + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
    private static final Pattern STRICT_BASE64 =
            Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|" + "[A-Za-z0-9+/]{3}=)?");
    private static final String ORIGIN = "http://conformance.example";
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder()
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
     * tests are skipped with a message.
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

    private static Map<String, String> headerMap(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put("Tus-Resumable", VERSION);
        for (int i = 0; i < pairs.length; i += 2) {
            map.remove(pairs[i]);
            map.put(pairs[i], pairs[i + 1]);
        }
        map.values().removeIf(value -> value == null);
        return map;
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static Reply tusResumable(Reply reply) {
        assertThat(reply.headers().allValues("Tus-Resumable"))
                .as("Tus-Resumable of the answer %d to %s", reply.status(), reply.request())
                .containsExactly(VERSION);
        return reply;
    }

    private Reply options(URI url, String... headers) throws Exception {
        return send("OPTIONS", url, null, concat(new String[] {"Tus-Resumable", null}, headers));
    }

    private Reply create(byte[] body, String... headers) throws Exception {
        return send("POST", creationUrl(), body, headers);
    }

    private Reply head(URI url, String... headers) throws Exception {
        return send("HEAD", url, null, headers);
    }

    private Reply patch(URI url, long offset, byte[] body, String... headers) throws Exception {
        return send(
                "PATCH",
                url,
                body,
                concat(
                        new String[] {"Content-Type", OFFSET_OCTET_STREAM, "Upload-Offset", Long.toString(offset)},
                        headers));
    }

    private Reply delete(URI url) throws Exception {
        return send("DELETE", url, null);
    }

    // ------------------------------------------------------------------------------------------------ answers

    private static Reply expect(Reply reply, int status) {
        assertThat(reply.status())
                .as(
                        "status of the answer to %s, headers %s",
                        reply.request(), reply.headers().map())
                .isEqualTo(status);
        return reply;
    }

    private static Reply expectOneOf(Reply reply, Integer... statuses) {
        assertThat(reply.status())
                .as(
                        "status of the answer to %s, headers %s",
                        reply.request(), reply.headers().map())
                .isIn((Object[]) statuses);
        return reply;
    }

    private static Optional<String> header(Reply reply, String name) {
        return reply.headers().firstValue(name);
    }

    private static String required(Reply reply, String name) {
        return header(reply, name)
                .orElseThrow(() -> new AssertionError(name + " is missing from the answer " + reply.status() + " to "
                        + reply.request() + ", headers " + reply.headers().map()));
    }

    private static long number(Reply reply, String name) {
        String value = required(reply, name);
        assertThat(value).as("%s of the answer to %s", name, reply.request()).matches("\\d{1,19}");
        return Long.parseLong(value);
    }

    /** The elements of a comma-separated header, trimmed, over all its lines. */
    private static List<String> list(Reply reply, String name) {
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

    private static List<String> lowerCaseList(Reply reply, String name) {
        return list(reply, name).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    private static void assertNothingCreated(Reply reply) {
        assertThat(reply.headers().firstValue("Location"))
                .as("Location of the answer %d to %s", reply.status(), reply.request())
                .isEmpty();
    }

    private static void assertExpiresInFuture(Reply reply) {
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

    private URI location(Reply reply) {
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

    private Upload newPartial(int size) throws Exception {
        Upload upload = newUpload(size, "Upload-Concat", "partial");
        Reply head = expect(head(upload.url()), 200);
        assertThat(required(head, "Upload-Concat")).isEqualTo("partial");
        assertThat(number(head, "Upload-Offset")).isZero();
        assertThat(number(head, "Upload-Length")).isEqualTo(size);
        return upload;
    }

    /** HEAD: 200, not cacheable, and the offset (never more than the length, if one is reported). */
    private long offsetOf(URI url) throws Exception {
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

    private void assertOffset(URI url, long expected) throws Exception {
        assertThat(offsetOf(url)).as("Upload-Offset of HEAD %s", url).isEqualTo(expected);
    }

    /** Sends the rest of an upload in one PATCH, then verifies it. */
    private void finish(Upload upload) throws Exception {
        long offset = offsetOf(upload.url());
        Reply done = expect(patch(upload.url(), offset, upload.slice(offset, upload.data().length)), 204);
        assertThat(number(done, "Upload-Offset")).isEqualTo(upload.data().length);
        assertComplete(upload.url(), upload.data());
    }

    /** HEAD reports offset = length = the data's length; the stored bytes, where visible, are the data. */
    private void assertComplete(URI url, byte[] data) throws Exception {
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
    private URI unknownUrl() throws Exception {
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

    private static String checksum(String algorithm, byte[] data) {
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

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses an Upload-Metadata value into key to hex of the decoded value ("" when there is none). */
    private static Map<String, String> decodedMetadata(String header) {
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

    // ---------------------------------------------------------------------------------------------- the tests

    @Nested
    @DisplayName("OPTIONS and versions")
    class Discovery {

        @Test
        @DisplayName("OPTIONS answers 204 with the version, extensions, maximum size and checksum algorithms")
        void advertises() throws Exception {
            Reply reply = expect(options(creationUrl()), 204);
            assertThat(list(reply, "Tus-Version")).containsExactly(VERSION);
            assertThat(list(reply, "Tus-Extension")).containsExactlyInAnyOrderElementsOf(EXTENSIONS);
            assertThat(number(reply, "Tus-Max-Size")).isEqualTo(maxSize());
            assertThat(list(reply, "Tus-Checksum-Algorithm")).contains("md5", "sha1", "sha256");
        }

        @Test
        @DisplayName("OPTIONS ignores a Tus-Resumable header, even of another version")
        void optionsIgnoresTusResumable() throws Exception {
            for (String version : List.of("0.2.2", VERSION)) {
                Reply reply = expect(options(creationUrl(), "Tus-Resumable", version), 204);
                assertThat(list(reply, "Tus-Version")).containsExactly(VERSION);
            }
        }

        @Test
        @DisplayName("a request without Tus-Resumable or with another version is 412 with Tus-Version and changes "
                + "nothing")
        void otherVersions() throws Exception {
            Upload upload = newUpload(100);
            for (String version : Arrays.asList(null, "0.2.2", "1.0", "2.0.0")) {
                Reply post = create(null, "Tus-Resumable", version, "Upload-Length", "10");
                assertVersionRefused(post);
                assertNothingCreated(post);
                assertVersionRefused(head(upload.url(), "Tus-Resumable", version));
                assertVersionRefused(patch(upload.url(), 0, upload.slice(0, 10), "Tus-Resumable", version));
                assertVersionRefused(send("DELETE", upload.url(), null, "Tus-Resumable", version));
            }
            assertOffset(upload.url(), 0);
            finish(upload);
        }

        private void assertVersionRefused(Reply reply) {
            expect(reply, 412);
            assertThat(list(reply, "Tus-Version"))
                    .as("Tus-Version of the answer to %s", reply.request())
                    .containsExactly(VERSION);
        }
    }

    @Nested
    @DisplayName("creation")
    class Creation {

        @Test
        @DisplayName("POST with Upload-Length answers 201 with an absolute Location, Upload-Offset 0 and "
                + "Upload-Expires; HEAD reports the new upload")
        void created() throws Exception {
            Reply reply = expect(create(null, "Upload-Length", "1234"), 201);
            URI url = URI.create(required(reply, "Location"));
            assertThat(url.isAbsolute()).as("Location %s is absolute", url).isTrue();
            assertThat(url.getScheme()).isEqualToIgnoringCase(creationUrl().getScheme());
            assertThat(url.getHost()).isEqualToIgnoringCase(creationUrl().getHost());
            assertThat(effectivePort(url)).as("port of Location %s", url).isEqualTo(effectivePort(creationUrl()));
            assertThat(url.getRawPath())
                    .as("Location %s is below %s", url, creationUrl())
                    .startsWith(creationUrl().getRawPath() + "/");
            assertThat(url.getRawPath().substring(creationUrl().getRawPath().length() + 1))
                    .isNotEmpty()
                    .doesNotContain("/");
            assertThat(number(reply, "Upload-Offset")).isZero();
            assertExpiresInFuture(reply);

            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isZero();
            assertThat(number(head, "Upload-Length")).isEqualTo(1234);
            assertThat(head.headers().allValues("Cache-Control"))
                    .anySatisfy(v -> assertThat(v).contains("no-store"));
            assertThat(header(head, "Upload-Defer-Length")).isEmpty();
            assertThat(header(head, "Upload-Metadata")).isEmpty();
            finish(new Upload(url, TestFiles.randomBytes(1234)));
        }

        @Test
        @DisplayName("an upload of length 0 is complete at once and takes no bytes (413)")
        void empty() throws Exception {
            Reply reply = expect(create(null, "Upload-Length", "0"), 201);
            assertThat(number(reply, "Upload-Offset")).isZero();
            URI url = location(reply);
            assertComplete(url, new byte[0]);
            expect(patch(url, 0, new byte[] {1}), 413);
            assertComplete(url, new byte[0]);
        }

        @Test
        @DisplayName(
                "a missing, doubled or malformed Upload-Length or Upload-Defer-Length is 400 and creates " + "nothing")
        void invalidLengths() throws Exception {
            List<String[]> cases = new ArrayList<>();
            cases.add(new String[0]);
            cases.add(new String[] {"Upload-Length", "10", "Upload-Defer-Length", "1"});
            for (String length : List.of("-1", "+5", "1.5", "abc", "  ", "1e3", "0x10", "5 5")) {
                cases.add(new String[] {"Upload-Length", length});
            }
            for (String defer : List.of("0", "2", "true", "01")) {
                cases.add(new String[] {"Upload-Defer-Length", defer});
            }
            for (String[] headers : cases) {
                Reply reply = create(null, headers);
                assertThat(reply.status())
                        .as("POST with %s", Arrays.toString(headers))
                        .isEqualTo(400);
                assertNothingCreated(reply);
            }
        }

        @Test
        @DisplayName("Upload-Length above Tus-Max-Size is 413; exactly Tus-Max-Size is accepted")
        void sizeLimit() throws Exception {
            Reply tooBig = create(null, "Upload-Length", Long.toString(maxSize() + 1));
            expect(tooBig, 413);
            assertNothingCreated(tooBig);
            URI url = location(create(null, "Upload-Length", Long.toString(maxSize())));
            assertOffset(url, 0);
            expect(delete(url), 204);
        }

        @Test
        @DisplayName("Upload-Metadata comes back from HEAD with the same keys and values, empty ones included")
        void metadata() throws Exception {
            String sent = "filename " + b64("wörld dominatiön plan.pdf") + ",is_confidential,empty ,type "
                    + b64("application/pdf") + ",k " + b64("ab");
            Upload upload = newUpload(10, "Upload-Metadata", sent);
            Reply head = expect(head(upload.url()), 200);
            assertThat(decodedMetadata(required(head, "Upload-Metadata"))).isEqualTo(decodedMetadata(sent));
            finish(upload);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(sent));
        }

        @Test
        @DisplayName("Upload-Metadata values that are not UTF-8 text come back byte for byte")
        void binaryMetadata() throws Exception {
            byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, (byte) 0x80, 10, 13, 44, 32, (byte) 0xc3};
            String sent = "blob " + Base64.getEncoder().encodeToString(binary);
            Upload upload = newUpload(10, "Upload-Metadata", sent);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(sent));
        }

        @Test
        @DisplayName("malformed Upload-Metadata is 400 and creates nothing")
        void invalidMetadata() throws Exception {
            for (String metadata : List.of(
                    "a Zm9v=",
                    "a Zm9",
                    "a Zm9v!!",
                    "a Zm9v,a YmFy",
                    "my key Zm9v",
                    "a Zm9v,,b YmFy",
                    "a Zm9v, YmFy",
                    "a Zm9v YmFy",
                    "a ====")) {
                Reply reply = create(null, "Upload-Length", "10", "Upload-Metadata", metadata);
                assertThat(reply.status())
                        .as("POST with Upload-Metadata: %s", metadata)
                        .isEqualTo(400);
                assertNothingCreated(reply);
            }
        }

        @Test
        @DisplayName("Upload-Metadata up to 4 KiB is accepted, longer is 400")
        void metadataSize() throws Exception {
            String small = "k " + b64("x".repeat(2997));
            assertThat(small.length()).isLessThan(4096);
            Upload upload = newUpload(10, "Upload-Metadata", small);
            assertThat(decodedMetadata(required(expect(head(upload.url()), 200), "Upload-Metadata")))
                    .isEqualTo(decodedMetadata(small));
            String big = "k " + b64("x".repeat(3072));
            assertThat(big.length()).isGreaterThan(4096);
            Reply reply = create(null, "Upload-Length", "10", "Upload-Metadata", big);
            expect(reply, 400);
            assertNothingCreated(reply);
        }
    }

    @Nested
    @DisplayName("creation with upload")
    class CreationWithUpload {

        @Test
        @DisplayName("POST with the first bytes answers 201 with Upload-Offset = their length; the rest follows by "
                + "PATCH")
        void firstBytes() throws Exception {
            byte[] data = TestFiles.randomBytes(100_000);
            Reply reply = expect(
                    create(Arrays.copyOf(data, 40_000), "Upload-Length", "100000", "Content-Type", OFFSET_OCTET_STREAM),
                    201);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(40_000);
            assertExpiresInFuture(reply);
            Upload upload = new Upload(location(reply), data);
            assertOffset(upload.url(), 40_000);
            finish(upload);
        }

        @Test
        @DisplayName("POST with all the bytes completes the upload at once")
        void allBytes() throws Exception {
            byte[] data = TestFiles.randomBytes(5_000);
            Reply reply = expect(create(data, "Upload-Length", "5000", "Content-Type", OFFSET_OCTET_STREAM), 201);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(5_000);
            assertComplete(location(reply), data);
        }

        @Test
        @DisplayName("POST with a body of another Content-Type is 415 and creates nothing")
        void otherContentType() throws Exception {
            for (String type : List.of("text/plain", "application/octet-stream")) {
                Reply reply = create(TestFiles.randomBytes(100), "Upload-Length", "100", "Content-Type", type);
                assertThat(reply.status()).as("POST with Content-Type %s", type).isEqualTo(415);
                assertNothingCreated(reply);
            }
        }
    }

    @Nested
    @DisplayName("HEAD and PATCH")
    class Core {

        @Test
        @DisplayName("HEAD on an unknown upload is 404 without Upload-Offset")
        void unknownHead() throws Exception {
            Reply reply = expect(head(unknownUrl()), 404);
            assertThat(header(reply, "Upload-Offset")).isEmpty();
        }

        @Test
        @DisplayName("PATCHes of 1 byte, 1000 bytes, 70 KiB and the rest each answer 204 with the new offset and "
                + "give the exact bytes")
        void oddPieces() throws Exception {
            Upload upload = newUpload(1 + 1000 + 70 * 1024 + 50_003);
            long offset = 0;
            for (int piece : new int[] {1, 1000, 70 * 1024, 50_003}) {
                Reply reply = expect(patch(upload.url(), offset, upload.slice(offset, offset + piece)), 204);
                offset += piece;
                assertThat(number(reply, "Upload-Offset")).isEqualTo(offset);
                if (offset < upload.data().length) {
                    assertExpiresInFuture(reply);
                }
                assertOffset(upload.url(), offset);
            }
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("PATCH with another or no Content-Type is 415 and leaves the offset")
        void otherContentType() throws Exception {
            Upload upload = newUpload(100);
            for (String type : Arrays.asList("application/octet-stream", "text/plain", null)) {
                Reply reply = patch(upload.url(), 0, upload.slice(0, 50), "Content-Type", type);
                assertThat(reply.status())
                        .as("PATCH with Content-Type %s", type)
                        .isEqualTo(415);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH with a missing or malformed Upload-Offset is 400 and leaves the offset")
        void malformedOffset() throws Exception {
            Upload upload = newUpload(100);
            for (String offset : Arrays.asList(null, "-1", "+0", "abc", "1.0", "0x0", "0 0")) {
                Reply reply = patch(upload.url(), 0, upload.slice(0, 50), "Upload-Offset", offset);
                assertThat(reply.status())
                        .as("PATCH with Upload-Offset %s", offset)
                        .isEqualTo(400);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH at an offset other than the current one is 409 and leaves the offset")
        void wrongOffset() throws Exception {
            Upload upload = newUpload(100);
            expect(patch(upload.url(), 5, upload.slice(5, 10)), 409);
            assertOffset(upload.url(), 0);
            expect(patch(upload.url(), 0, upload.slice(0, 10)), 204);
            for (long offset : new long[] {0, 3, 9, 11, 100}) {
                Reply reply = patch(upload.url(), offset, upload.slice(offset, Math.min(100, offset + 5)));
                assertThat(reply.status())
                        .as("PATCH at %d when the offset is 10", offset)
                        .isEqualTo(409);
                assertOffset(upload.url(), 10);
            }
            finish(upload);
        }

        @Test
        @DisplayName("PATCH with more bytes than the upload has left is 413 and leaves the offset")
        void pastLength() throws Exception {
            Upload upload = newUpload(10);
            expect(patch(upload.url(), 0, TestFiles.randomBytes(11)), 413);
            assertOffset(upload.url(), 0);
            expect(patch(upload.url(), 0, upload.slice(0, 6)), 204);
            expect(patch(upload.url(), 6, TestFiles.randomBytes(5)), 413);
            assertOffset(upload.url(), 6);
            expect(patch(upload.url(), 6, upload.slice(6, 10)), 204);
            expect(patch(upload.url(), 10, new byte[] {1}), 413);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("an empty PATCH at the end of a complete upload is 204, also with chunked encoding")
        void emptyPatchAtTheEnd() throws Exception {
            Upload upload = newUpload(10);
            expect(patch(upload.url(), 0, upload.data()), 204);
            expect(patch(upload.url(), 10, new byte[0]), 204);
            Reply chunked = sendChunked(
                    "PATCH",
                    upload.url(),
                    List.of(),
                    Map.of(),
                    "Upload-Offset",
                    "10",
                    "Content-Type",
                    OFFSET_OCTET_STREAM);
            assertThat(chunked.status())
                    .as("status of the answer to %s", chunked.request())
                    .isEqualTo(204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("PATCH on an unknown upload is 404")
        void unknownPatch() throws Exception {
            expect(patch(unknownUrl(), 0, new byte[] {1, 2, 3}), 404);
        }

        @Test
        @DisplayName("an unknown method on an upload is 405 with Allow")
        void unknownMethod() throws Exception {
            Upload upload = newUpload(10);
            Reply reply = expect(send("PUT", upload.url(), upload.data(), "Content-Type", OFFSET_OCTET_STREAM), 405);
            assertThat(list(reply, "Allow"))
                    .as("Allow of the answer to %s", reply.request())
                    .contains("PATCH", "HEAD")
                    .doesNotContain("PUT");
            assertOffset(upload.url(), 0);
        }
    }

    @Nested
    @DisplayName("X-HTTP-Method-Override")
    class MethodOverride {

        @Test
        @DisplayName("POST overridden as PATCH appends bytes")
        void asPatch() throws Exception {
            Upload upload = newUpload(1000);
            Reply reply = expect(
                    send(
                            "POST",
                            upload.url(),
                            upload.slice(0, 400),
                            "X-HTTP-Method-Override",
                            "PATCH",
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(400);
            assertOffset(upload.url(), 400);
            reply = expect(
                    send(
                            "POST",
                            upload.url(),
                            upload.slice(400, 1000),
                            "X-HTTP-Method-Override",
                            "PATCH",
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "400"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(1000);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("POST overridden as HEAD reports the offset and length")
        void asHead() throws Exception {
            Upload upload = newUpload(1000);
            expect(patch(upload.url(), 0, upload.slice(0, 123)), 204);
            Reply reply = expect(send("POST", upload.url(), null, "X-HTTP-Method-Override", "HEAD"), 200);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(123);
            assertThat(number(reply, "Upload-Length")).isEqualTo(1000);
            assertThat(reply.headers().allValues("Cache-Control"))
                    .anySatisfy(v -> assertThat(v).contains("no-store"));
        }

        @Test
        @DisplayName("POST overridden as DELETE terminates the upload")
        void asDelete() throws Exception {
            Upload upload = newUpload(1000);
            expect(send("POST", upload.url(), null, "X-HTTP-Method-Override", "DELETE"), 204);
            expectOneOf(head(upload.url()), 404, 410);
        }
    }

    @Nested
    @DisplayName("creation-defer-length")
    class DeferLength {

        @Test
        @DisplayName("an upload created with Upload-Defer-Length: 1 takes bytes, then its length with a later PATCH")
        void deferred() throws Exception {
            Reply created = expect(create(null, "Upload-Defer-Length", "1"), 201);
            assertThat(number(created, "Upload-Offset")).isZero();
            assertExpiresInFuture(created);
            Upload upload = new Upload(location(created), TestFiles.randomBytes(5_000));
            assertDeferred(upload.url(), 0);
            Reply first = expect(patch(upload.url(), 0, upload.slice(0, 1_000)), 204);
            assertThat(number(first, "Upload-Offset")).isEqualTo(1_000);
            assertDeferred(upload.url(), 1_000);
            Reply second = expect(patch(upload.url(), 1_000, upload.slice(1_000, 2_000), "Upload-Length", "5000"), 204);
            assertThat(number(second, "Upload-Offset")).isEqualTo(2_000);
            Reply head = expect(head(upload.url()), 200);
            assertThat(number(head, "Upload-Length")).isEqualTo(5_000);
            assertThat(header(head, "Upload-Defer-Length")).isEmpty();
            assertOffset(upload.url(), 2_000);
            finish(upload);
        }

        @Test
        @DisplayName(
                "a declared length below the bytes it would hold is 400, above Tus-Max-Size 413; nothing " + "changes")
        void lengthTooSmallOrLarge() throws Exception {
            Upload upload = new Upload(location(create(null, "Upload-Defer-Length", "1")), TestFiles.randomBytes(1500));
            expect(patch(upload.url(), 0, upload.slice(0, 1_000)), 204);
            for (long length : new long[] {1_200, 999, 0}) {
                Reply reply =
                        patch(upload.url(), 1_000, upload.slice(1_000, 1_500), "Upload-Length", Long.toString(length));
                assertThat(reply.status())
                        .as("PATCH of 500 bytes at 1000 with Upload-Length %d", length)
                        .isEqualTo(400);
                assertDeferred(upload.url(), 1_000);
            }
            expect(
                    patch(
                            upload.url(),
                            1_000,
                            upload.slice(1_000, 1_500),
                            "Upload-Length",
                            Long.toString(maxSize() + 1)),
                    413);
            assertDeferred(upload.url(), 1_000);
            expect(patch(upload.url(), 1_000, upload.slice(1_000, 1_500), "Upload-Length", "1500"), 204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("changing a known length is 400 and changes nothing")
        void lengthChange() throws Exception {
            Upload upload = new Upload(location(create(null, "Upload-Defer-Length", "1")), TestFiles.randomBytes(300));
            expect(patch(upload.url(), 0, upload.slice(0, 100), "Upload-Length", "300"), 204);
            expect(patch(upload.url(), 100, upload.slice(100, 200), "Upload-Length", "400"), 400);
            assertOffset(upload.url(), 100);
            assertThat(number(expect(head(upload.url()), 200), "Upload-Length")).isEqualTo(300);

            Upload fixed = newUpload(50);
            expect(patch(fixed.url(), 0, fixed.slice(0, 10), "Upload-Length", "60"), 400);
            assertOffset(fixed.url(), 0);
            finish(upload);
            finish(fixed);
        }

        private void assertDeferred(URI url, long offset) throws Exception {
            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isEqualTo(offset);
            assertThat(required(head, "Upload-Defer-Length")).isEqualTo("1");
            assertThat(header(head, "Upload-Length")).isEmpty();
        }
    }

    @Nested
    @DisplayName("checksum")
    class Checksum {

        @Test
        @DisplayName("PATCHes with a matching md5, sha1 or sha256 Upload-Checksum are accepted")
        void matching() throws Exception {
            Upload upload = newUpload(30_000);
            long offset = 0;
            for (String algorithm : List.of("md5", "sha1", "sha256")) {
                byte[] piece = upload.slice(offset, offset + 10_000);
                Reply reply =
                        expect(patch(upload.url(), offset, piece, "Upload-Checksum", checksum(algorithm, piece)), 204);
                offset += 10_000;
                assertThat(number(reply, "Upload-Offset")).isEqualTo(offset);
            }
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a mismatching Upload-Checksum is 460 and the bytes are discarded")
        void mismatch() throws Exception {
            Upload upload = newUpload(20_000);
            expect(patch(upload.url(), 0, upload.slice(0, 10_000)), 204);
            byte[] piece = upload.slice(10_000, 20_000);
            byte[] other = piece.clone();
            other[4321] ^= 1;
            for (String algorithm : List.of("md5", "sha1", "sha256")) {
                Reply reply = patch(upload.url(), 10_000, piece, "Upload-Checksum", checksum(algorithm, other));
                assertThat(reply.status())
                        .as("PATCH with a wrong %s", algorithm)
                        .isEqualTo(460);
                assertOffset(upload.url(), 10_000);
            }
            expect(patch(upload.url(), 10_000, piece, "Upload-Checksum", checksum("sha1", piece)), 204);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("an unsupported algorithm or a malformed Upload-Checksum is 400 and the bytes are discarded")
        void invalid() throws Exception {
            Upload upload = newUpload(100);
            String digest = checksum("sha1", upload.data()).substring("sha1 ".length());
            for (String value : List.of(
                    "crc99 AAAA",
                    "sha1",
                    "sha1 @@@@",
                    "sha1 " + digest + " " + digest,
                    "sha1:" + digest,
                    "sha1 " + digest.substring(1))) {
                Reply reply = patch(upload.url(), 0, upload.data(), "Upload-Checksum", value);
                assertThat(reply.status())
                        .as("PATCH with Upload-Checksum: %s", value)
                        .isEqualTo(400);
                assertOffset(upload.url(), 0);
            }
            finish(upload);
        }
    }

    @Nested
    @DisplayName("checksum-trailer and chunked bodies")
    class ChecksumTrailer {

        @Test
        @DisplayName("a chunked PATCH without checksum stores every byte sent")
        void chunked() throws Exception {
            Upload upload = newUpload(1 + 1000 + 70 * 1024 + 3000);
            Reply reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(upload.data(), 1, 1000, 70 * 1024, 3000),
                            Map.of(),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(upload.data().length);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a matching Upload-Checksum trailer is accepted")
        void matching() throws Exception {
            Upload upload = newUpload(60_000);
            byte[] first = upload.slice(0, 25_000);
            Reply reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(first, 7, 16_384, 8_609),
                            Map.of("Upload-Checksum", checksum("sha256", first)),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(25_000);
            byte[] rest = upload.slice(25_000, 60_000);
            reply = expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(rest, 30_000, 5_000),
                            Map.of("Upload-Checksum", checksum("md5", rest)),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "25000"),
                    204);
            assertThat(number(reply, "Upload-Offset")).isEqualTo(60_000);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("a mismatching Upload-Checksum trailer is 460 and the bytes are discarded")
        void mismatch() throws Exception {
            Upload upload = newUpload(40_000);
            byte[] other = upload.data().clone();
            other[39_999] ^= 1;
            Reply reply = sendChunked(
                    "PATCH",
                    upload.url(),
                    pieces(upload.data(), 20_000, 20_000),
                    Map.of("Upload-Checksum", checksum("sha1", other)),
                    "Content-Type",
                    OFFSET_OCTET_STREAM,
                    "Upload-Offset",
                    "0");
            expect(reply, 460);
            assertOffset(upload.url(), 0);
            expect(
                    sendChunked(
                            "PATCH",
                            upload.url(),
                            pieces(upload.data(), 20_000, 20_000),
                            Map.of("Upload-Checksum", checksum("sha1", upload.data())),
                            "Content-Type",
                            OFFSET_OCTET_STREAM,
                            "Upload-Offset",
                            "0"),
                    204);
            assertComplete(upload.url(), upload.data());
        }

        private static List<byte[]> pieces(byte[] data, int... sizes) {
            List<byte[]> pieces = new ArrayList<>();
            int from = 0;
            for (int size : sizes) {
                pieces.add(Arrays.copyOfRange(data, from, from + size));
                from += size;
            }
            assertThat(from).isEqualTo(data.length);
            return pieces;
        }
    }

    @Nested
    @DisplayName("termination")
    class Termination {

        @Test
        @DisplayName("DELETE answers 204; the upload is then 404 or 410 to HEAD, PATCH and DELETE")
        void terminate() throws Exception {
            Upload upload = newUpload(100);
            expect(patch(upload.url(), 0, upload.slice(0, 50)), 204);
            expect(delete(upload.url()), 204);
            expectOneOf(head(upload.url()), 404, 410);
            expectOneOf(patch(upload.url(), 50, upload.slice(50, 100)), 404, 410);
            expectOneOf(delete(upload.url()), 404, 410);
        }

        @Test
        @DisplayName("a complete upload can be terminated too")
        void deleteComplete() throws Exception {
            Upload upload = newUpload(100);
            finish(upload);
            expect(delete(upload.url()), 204);
            expectOneOf(head(upload.url()), 404, 410);
        }

        @Test
        @DisplayName("DELETE on an unknown upload is 404")
        void deleteUnknown() throws Exception {
            expect(delete(unknownUrl()), 404);
        }
    }

    @Nested
    @DisplayName("concatenation")
    class Concatenation {

        @Test
        @DisplayName("partials listed by absolute URL concatenate into a final upload with its own metadata; PATCH "
                + "on it is 403")
        void absoluteUrls() throws Exception {
            concatenate(false);
        }

        @Test
        @DisplayName("partials listed by path concatenate into a final upload")
        void paths() throws Exception {
            concatenate(true);
        }

        private void concatenate(boolean paths) throws Exception {
            Upload first = newPartial(70_001);
            Upload second = newUpload(1_234, "Upload-Concat", "partial", "Upload-Metadata", "name " + b64("part"));
            finish(first);
            finish(second);
            String list = reference(first, paths) + " " + reference(second, paths);
            Reply created = expect(
                    create(null, "Upload-Concat", "final;" + list, "Upload-Metadata", "name " + b64("final")), 201);
            URI url = location(created);
            byte[] whole = concat(first.data(), second.data());

            Reply head = expect(head(url), 200);
            assertThat(number(head, "Upload-Length")).isEqualTo(whole.length);
            assertThat(number(head, "Upload-Offset")).isEqualTo(whole.length);
            assertFinalConcat(head, first, second);
            assertThat(decodedMetadata(required(head, "Upload-Metadata")))
                    .isEqualTo(decodedMetadata("name " + b64("final")));
            assertComplete(url, whole);

            expect(patch(url, whole.length, new byte[] {1}), 403);
            expect(patch(url, 0, whole), 403);
            assertComplete(url, whole);
            assertComplete(first.url(), first.data());
            assertComplete(second.url(), second.data());
        }

        @Test
        @DisplayName("a final upload with Upload-Length, or listing an unknown or a non-partial upload, is 400")
        void invalidFinals() throws Exception {
            Upload first = newPartial(100);
            Upload second = newPartial(200);
            finish(first);
            finish(second);
            String list = first.url() + " " + second.url();
            Reply withLength = create(null, "Upload-Concat", "final;" + list, "Upload-Length", "300");
            expect(withLength, 400);
            assertNothingCreated(withLength);

            Reply unknown = create(null, "Upload-Concat", "final;" + first.url() + " " + unknownUrl());
            expect(unknown, 400);
            assertNothingCreated(unknown);

            Upload plain = newUpload(10);
            finish(plain);
            Reply notPartial = create(null, "Upload-Concat", "final;" + first.url() + " " + plain.url());
            expect(notPartial, 400);
            assertNothingCreated(notPartial);
        }
    }

    @Nested
    @DisplayName("concatenation-unfinished")
    class ConcatenationUnfinished {

        @Test
        @DisplayName("a final upload of unfinished partials has no Upload-Offset until the last partial completes")
        void unfinished() throws Exception {
            Upload first = newPartial(50_000);
            Upload second = newPartial(30_000);
            finish(first);
            expect(patch(second.url(), 0, second.slice(0, 10_000)), 204);
            URI url = location(create(null, "Upload-Concat", "final;" + first.url() + " " + second.url()));
            long length = first.data().length + second.data().length;

            Reply head = expect(head(url), 200);
            assertThat(header(head, "Upload-Offset"))
                    .as("Upload-Offset of an unfinished final upload")
                    .isEmpty();
            assertThat(number(head, "Upload-Length"))
                    .as("the length of the final upload is known: the partials' " + "lengths are")
                    .isEqualTo(length);
            assertFinalConcat(head, first, second);
            expect(patch(url, 0, first.data()), 403);

            finish(second);
            head = expect(head(url), 200);
            assertThat(number(head, "Upload-Offset")).isEqualTo(length);
            assertThat(number(head, "Upload-Length")).isEqualTo(length);
            assertComplete(url, concat(first.data(), second.data()));
        }

        @Test
        @DisplayName("a final upload whose unfinished partial is terminated is gone too (404 or 410), not waiting "
                + "forever")
        void partialTerminated() throws Exception {
            Upload first = newPartial(50_000);
            Upload second = newPartial(30_000);
            finish(first);
            URI url = location(create(null, "Upload-Concat", "final;" + first.url() + " " + second.url()));
            expect(head(url), 200);
            expect(delete(second.url()), 204);
            assertThat(head(url).status())
                    .as("HEAD of the final upload after its partial was terminated")
                    .isIn(404, 410);
            expect(head(first.url()), 200);
        }
    }

    private static int effectivePort(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static String reference(Upload upload, boolean path) {
        return path ? upload.url().getRawPath() : upload.url().toString();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] whole = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        return whole;
    }

    private void assertFinalConcat(Reply head, Upload... partials) {
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

    @Nested
    @DisplayName("CORS")
    class Cors {

        private static final List<String> TUS_HEADERS = List.of(
                "tus-resumable",
                "upload-length",
                "upload-offset",
                "upload-metadata",
                "upload-defer-length",
                "upload-concat",
                "upload-checksum",
                "content-type",
                "x-http-method-override");

        @Test
        @DisplayName("preflights for PATCH on an upload and POST on the creation URL allow the tus request headers")
        void preflight() throws Exception {
            Assumptions.assumeTrue(corsEnabled(), "CORS is not enabled on this server; CORS tests skipped");
            Upload upload = newUpload(10);
            for (Map.Entry<URI, String> target :
                    Map.of(upload.url(), "PATCH", creationUrl(), "POST").entrySet()) {
                Reply reply = expectOneOf(
                        options(
                                target.getKey(),
                                "Origin",
                                ORIGIN,
                                "Access-Control-Request-Method",
                                target.getValue(),
                                "Access-Control-Request-Headers",
                                String.join(",", TUS_HEADERS)),
                        200,
                        204);
                assertThat(required(reply, "Access-Control-Allow-Origin")).isIn("*", ORIGIN);
                assertThat(list(reply, "Access-Control-Allow-Methods")).contains(target.getValue());
                List<String> allowed = lowerCaseList(reply, "Access-Control-Allow-Headers");
                if (!allowed.contains("*")) {
                    assertThat(allowed)
                            .as("Access-Control-Allow-Headers of the answer to %s", reply.request())
                            .containsAll(TUS_HEADERS);
                }
            }
            assertOffset(upload.url(), 0);
        }

        @Test
        @DisplayName("answers to requests with Origin allow it and expose the tus response headers")
        void exposed() throws Exception {
            Assumptions.assumeTrue(corsEnabled(), "CORS is not enabled on this server; CORS tests skipped");
            Reply created = create(null, "Upload-Length", "10", "Origin", ORIGIN);
            URI url = location(created);
            Reply head = expect(head(url, "Origin", ORIGIN), 200);
            Reply patch = expect(patch(url, 0, TestFiles.randomBytes(4), "Origin", ORIGIN), 204);
            for (Reply reply : List.of(created, head, patch)) {
                assertThat(required(reply, "Access-Control-Allow-Origin")).isIn("*", ORIGIN);
                assertThat(lowerCaseList(reply, "Access-Control-Expose-Headers"))
                        .as("Access-Control-Expose-Headers of the answer to %s", reply.request())
                        .contains("upload-offset", "location", "upload-length", "tus-resumable", "upload-expires");
            }
        }
    }

    @Nested
    @DisplayName("broken-off requests")
    class BrokenOff {

        @Test
        @DisplayName("after a PATCH that breaks off, the offset is at most what was sent and the upload resumes "
                + "from it")
        void resumes() throws Exception {
            int sent = 300 * 1024;
            Upload upload = newUpload(1024 * 1024);
            RawHttp.sendAndHangUp(
                    upload.url(),
                    "PATCH",
                    Map.of("Tus-Resumable", VERSION, "Content-Type", OFFSET_OCTET_STREAM, "Upload-Offset", "0"),
                    upload.data().length,
                    upload.slice(0, sent));
            resumeUntilComplete(upload, sent, System.nanoTime(), 409, 423);
            assertComplete(upload.url(), upload.data());
        }

        @Test
        @DisplayName("while a PATCH stalls on a connection that stays open, HEAD and the resuming PATCH answer at "
                + "once (well within the 5 s the kit allows) and the upload completes")
        void stalled() throws Exception {
            int sent = 300 * 1024;
            Upload upload = newUpload(1024 * 1024);
            URI url = upload.url();
            try (Socket stalled = new Socket(url.getHost(), url.getPort())) {
                OutputStream out = stalled.getOutputStream();
                out.write(("PATCH " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                                + "\r\nTus-Resumable: " + VERSION + "\r\nUpload-Offset: 0\r\nContent-Type: "
                                + OFFSET_OCTET_STREAM + "\r\nContent-Length: " + upload.data().length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(upload.slice(0, sent));
                out.flush();
                long started = System.nanoTime();
                // 409 only if the stalled PATCH reached the server after the HEAD and was ended by this PATCH
                resumeUntilComplete(upload, sent, started, 409);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SETTLE_TIMEOUT);
            }
            assertComplete(upload.url(), upload.data());
        }

        /**
         * Resumes {@code upload} the way a tus client does until it is complete: HEAD, then PATCH the rest from the
         * offset. A {@code 204} short of the end is progress, not an error: the server ends a running PATCH when
         * another request for the upload arrives, so the broken request reaching the server late may end this
         * one, which then answers with the offset it reached. Other answers must be among {@code retryable}; the
         * whole loop must finish within the settle timeout.
         */
        private void resumeUntilComplete(Upload upload, int sent, long started, Integer... retryable) throws Exception {
            long offsetBefore = 0;
            while (true) {
                long offset = offsetOf(upload.url());
                assertThat(offset)
                        .as("offset after %d bytes were sent", sent)
                        .isBetween(0L, Math.max((long) sent, offsetBefore));
                Reply reply = patch(upload.url(), offset, upload.slice(offset, upload.data().length));
                if (reply.status() == 204) {
                    long reached = number(reply, "Upload-Offset");
                    assertThat(reached)
                            .as("offset answered by the resuming PATCH")
                            .isBetween(0L, (long) upload.data().length);
                    if (reached == upload.data().length) {
                        return;
                    }
                    offsetBefore = Math.max(offsetBefore, reached);
                } else {
                    assertThat(reply.status())
                            .as(
                                    "resuming at %d while the broken request may still be settling: %s",
                                    offset, reply.headers().map())
                            .isIn((Object[]) retryable);
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("resumed within %s", SETTLE_TIMEOUT)
                        .isLessThan(SETTLE_TIMEOUT);
            }
        }
    }
}
