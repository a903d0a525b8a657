/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the public URL of the mount point for {@code Location} headers: the server's own view by default, or,
 * when the deployment sits behind a trusted proxy, what the proxy reports in {@code Forwarded} (RFC 7239) or
 * {@code X-Forwarded-Proto/-Host/-Port/-Prefix}. Only enable forwarded headers behind a proxy that sets them: a
 * client could otherwise choose the host in {@code Location}.
 */
public final class PublicUrls {

    private static final Pattern PROTO = Pattern.compile("(?i)(?:^|;)\\s*proto=\"?(https?)\"?");
    private static final Pattern HOST = Pattern.compile("(?i)(?:^|;)\\s*host=\"?([A-Za-z0-9.:\\[\\]-]+)\"?");
    private static final Pattern URL = Pattern.compile("(?i)(https?)://([^/]+)(/.*)?");
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\[\\]:-]+");
    private static final Pattern SAFE_PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*/?");

    private PublicUrls() {}

    /**
     * Returns the public URL of the mount point.
     *
     * @param request the request
     * @param trustForwarded whether to apply forwarded headers
     * @return the URL without a trailing slash
     */
    public static String mountUrl(HttpRequest request, boolean trustForwarded) {
        String own = request.mountUrl();
        if (!trustForwarded) {
            return own;
        }
        Matcher url = URL.matcher(own);
        if (!url.matches()) {
            return own;
        }
        String scheme = url.group(1).toLowerCase(Locale.ROOT);
        String host = url.group(2);
        String path = url.group(3) == null ? "" : url.group(3);

        Optional<String> forwarded = request.header("Forwarded").map(v -> v.split(",")[0]);
        if (forwarded.isPresent()) {
            scheme = find(PROTO, forwarded.get())
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .orElse(scheme);
            host = find(HOST, forwarded.get())
                    .filter(h -> SAFE_HOST.matcher(h).matches())
                    .orElse(host);
        } else {
            scheme = first(request, "X-Forwarded-Proto")
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .filter(s -> s.equals("http") || s.equals("https"))
                    .orElse(scheme);
            Optional<String> forwardedHost = first(request, "X-Forwarded-Host")
                    .filter(h -> SAFE_HOST.matcher(h).matches());
            if (forwardedHost.isPresent()) {
                host = forwardedHost.get();
            }
            Optional<String> port = first(request, "X-Forwarded-Port").filter(p -> p.matches("[0-9]{1,5}"));
            if (port.isPresent()) {
                host = host.replaceFirst(":[0-9]+$", "") + portSuffix(scheme, port.get());
            }
        }
        String prefix = first(request, "X-Forwarded-Prefix")
                .filter(p -> SAFE_PREFIX.matcher(p).matches())
                .map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                .orElse("");
        return scheme + "://" + host + prefix + path;
    }

    private static String portSuffix(String scheme, String port) {
        return (scheme.equals("https") && port.equals("443")) || (scheme.equals("http") && port.equals("80"))
                ? ""
                : ":" + port;
    }

    private static Optional<String> first(HttpRequest request, String header) {
        return request.header(header).map(v -> v.split(",")[0].trim()).filter(v -> !v.isEmpty());
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
