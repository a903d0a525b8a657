package io.torrin.server.http;

import io.torrin.core.ErrorCode;
import io.torrin.core.TorrinException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The request cycle both protocol handlers share: CORS preflights, dispatch, errors turned into responses (never
 * an exception out of a handler, never a 500 for a client mistake), refused bodies drained so the connection stays
 * usable, CORS headers on every answer.
 */
final class HandlerTemplate {

    /** What differs between protocols. */
    interface Protocol {

        /** The methods the request's path allows, for preflights; may throw a {@link TorrinException}. */
        List<String> allowedMethods(HttpRequest request);

        /** Answers a request that is not a preflight; may throw a {@link TorrinException}. */
        HttpResponse.Builder dispatch(HttpRequest request);

        /** Turns an error into the protocol's error response. */
        HttpResponse.Builder error(TorrinException e);

        /** Headers every answer of the protocol carries, preflights included. */
        default Map<String, String> commonHeaders() {
            return Map.of();
        }
    }

    private HandlerTemplate() {}

    static HttpResponse handle(
            HttpRequest request, CorsPolicy cors, long maxDrainBytes, Logger log, Protocol protocol) {
        HttpResponse.Builder response;
        try {
            if (CorsPolicy.isPreflight(request) && cors.isEnabled()) {
                HttpResponse preflight = cors.preflight(request, protocol.allowedMethods(request));
                if (protocol.commonHeaders().isEmpty()) {
                    return preflight;
                }
                Map<String, List<String>> headers = new LinkedHashMap<>(preflight.headers());
                protocol.commonHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
                return new HttpResponse(preflight.status(), headers, preflight.body());
            }
            response = protocol.dispatch(request);
            if (response.build().status() >= 400) {
                RequestBodies.discardRemainder(request, maxDrainBytes, response);
            }
        } catch (TorrinException e) {
            if (e.code() == ErrorCode.STORAGE_ERROR || e.code() == ErrorCode.INTERNAL_ERROR) {
                log.warn("{} {} failed: {}", request.method(), request.path(), e.getMessage(), e);
            }
            response = protocol.error(e);
            RequestBodies.discardRemainder(request, maxDrainBytes, response);
        } catch (RuntimeException e) {
            log.error("Unexpected failure handling {} {}", request.method(), request.path(), e);
            response = protocol.error(new TorrinException(ErrorCode.INTERNAL_ERROR, "internal error"));
            RequestBodies.discardRemainder(request, maxDrainBytes, response);
        }
        protocol.commonHeaders().forEach(response::header);
        cors.decorate(request, response);
        return response.build();
    }
}
