package io.torrin.server.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What happens to the unread body of a rejected request. A server that answers early (a wrong chunk length, a
 * canceled upload) and then closes the connection while the client is still sending makes most clients lose the
 * answer. So the remainder is read and discarded up to a bound; if more is left, the response asks for the
 * connection to be closed.
 */
public final class RequestBodies {

    /** The default bound of bytes discarded after an error response. */
    public static final long DEFAULT_MAX_DRAIN_BYTES = 16L * 1024 * 1024;

    private RequestBodies() {}

    /**
     * Discards what is left of a request body, at most {@code maxBytes}; sets {@code Connection: close} on the
     * response if the body did not end within the bound or could not be read.
     *
     * @param request the request
     * @param maxBytes the most bytes to discard
     * @param response the response being built
     */
    public static void discardRemainder(HttpRequest request, long maxBytes, HttpResponse.Builder response) {
        if (request.method().equals("GET")
                || request.method().equals("HEAD")
                || request.method().equals("OPTIONS")) {
            return;
        }
        try {
            InputStream body = request.body();
            byte[] buffer = new byte[16 * 1024];
            long discarded = 0;
            int n;
            while (discarded <= maxBytes && (n = body.read(buffer)) >= 0) {
                discarded += n;
            }
            if (discarded > maxBytes) {
                response.header("Connection", "close");
            }
        } catch (IOException | RuntimeException e) {
            response.header("Connection", "close");
        }
    }
}
