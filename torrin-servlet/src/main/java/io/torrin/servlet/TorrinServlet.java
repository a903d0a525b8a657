package io.torrin.servlet;

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
 * <p>Created without a handler (from {@code web.xml}), it takes the {@link TorrinProtocolHandler} from the servlet
 * context attribute {@link #HANDLER_ATTRIBUTE}. Thread-safe.
 */
public class TorrinServlet extends HttpServlet {

    /** The servlet context attribute a handler is read from when none was passed to the constructor. */
    public static final String HANDLER_ATTRIBUTE = TorrinProtocolHandler.class.getName();

    private static final long serialVersionUID = 1L;

    private transient TorrinProtocolHandler handler;

    /** Creates a servlet that reads its handler from the servlet context at {@link #init()}. */
    public TorrinServlet() {
    }

    /**
     * Creates a servlet for a handler.
     *
     * @param handler the protocol handler, not null
     */
    public TorrinServlet(TorrinProtocolHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void init() throws ServletException {
        if (handler == null) {
            Object attribute = getServletContext().getAttribute(HANDLER_ATTRIBUTE);
            if (!(attribute instanceof TorrinProtocolHandler found)) {
                throw new ServletException("no TorrinProtocolHandler in servlet context attribute " + HANDLER_ATTRIBUTE);
            }
            handler = found;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletExchange.handle(request, response, request.getServletPath(), handler::handle);
    }
}
