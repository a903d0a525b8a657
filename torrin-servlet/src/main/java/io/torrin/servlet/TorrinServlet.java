/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.servlet;

import io.torrin.server.http.HttpHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The Torrin protocol as a servlet. Map it to a path prefix with a wildcard; every method goes to the protocol
 * handler (unknown routes get the protocol's 404, wrong methods its 405).
 *
 * <pre>{@code
 * ServletRegistration.Dynamic torrin = servletContext.addServlet("torrin", new TorrinServlet(handler));
 * torrin.addMapping("/torrin/uploads/*");
 * }</pre>
 *
 * <p>Any {@link HttpHandler} can be mounted this way: the Torrin protocol ({@link TorrinProtocolHandler}) or tus
 * ({@link io.torrin.server.http.TusProtocolHandler}), each under its own mapping.
 *
 * <p>Created without a handler (from {@code web.xml}), it takes the handler from a servlet context attribute: the
 * one named by the init parameter {@value #HANDLER_ATTRIBUTE_PARAMETER}, else {@link #HANDLER_ATTRIBUTE}.
 * Thread-safe.
 */
public class TorrinServlet extends HttpServlet {

    /** The servlet context attribute a handler is read from when none was passed to the constructor. */
    public static final String HANDLER_ATTRIBUTE = TorrinProtocolHandler.class.getName();
    /** The init parameter naming another servlet context attribute to read the handler from. */
    public static final String HANDLER_ATTRIBUTE_PARAMETER = "handlerAttribute";

    private static final long serialVersionUID = 1L;

    private transient HttpHandler handler;

    /** Creates a servlet that reads its handler from the servlet context at {@link #init()}. */
    public TorrinServlet() {}

    /**
     * Creates a servlet for a handler.
     *
     * @param handler the protocol handler, not null
     */
    public TorrinServlet(HttpHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void init() throws ServletException {
        if (handler == null) {
            String name = Objects.requireNonNullElse(getInitParameter(HANDLER_ATTRIBUTE_PARAMETER), HANDLER_ATTRIBUTE);
            Object attribute = getServletContext().getAttribute(name);
            if (!(attribute instanceof HttpHandler found)) {
                throw new ServletException("no protocol handler in servlet context attribute " + name);
            }
            handler = found;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletExchange.handle(request, response, request.getServletPath(), handler::handle);
    }
}
