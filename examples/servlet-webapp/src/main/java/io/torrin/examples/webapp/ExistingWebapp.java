/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.webapp;

import io.torrin.server.UploadEvent;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.servlet.TorrinFilter;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.storage.local.NamingStrategy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A web application that existed before Torrin: it has its own servlets ({@code /} and {@code /files}), and Torrin
 * is added by mounting one {@link TorrinFilter} for the Torrin protocol at {@code /torrin/uploads} and one for tus
 * at {@code /torrin/tus}, both on the same service. Everything else goes to the application untouched. The {@code /files} page lists completed uploads, fed by an upload listener.
 */
public final class ExistingWebapp implements AutoCloseable {

    /** Where the protocol is mounted. */
    public static final String MOUNT_PATH = "/torrin/uploads";
    /** Where tus is mounted (its creation URL). */
    public static final String TUS_PATH = "/torrin/tus";

    private final Server server;
    private final ServerConnector connector;
    private final UploadService service;
    private final FileUploadStore store;
    private final LocalStorageDriver storage;
    private final List<String> completed = new CopyOnWriteArrayList<>();

    private ExistingWebapp(String host, int port, Path dataDirectory) throws Exception {
        // snippet:servlet-filter
        storage = LocalStorageDriver.builder(dataDirectory.resolve("files"))
                .naming(NamingStrategy.byOriginalName())
                .build();
        store = FileUploadStore.create(dataDirectory.resolve("sessions"));
        service = UploadService.builder()
                .storage(storage)
                .store(store)
                .listener(event -> {
                    if (event.type() == UploadEvent.Type.COMPLETED) {
                        completed.add(event.session()
                                        .fileName()
                                        .orElse(event.session().uploadId()) + " "
                                + event.session().knownFileSize());
                    }
                })
                .build();
        TorrinProtocolHandler handler = TorrinProtocolHandler.builder(service).build();
        TusProtocolHandler tus = TusProtocolHandler.builder(service).build();

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HomeServlet()), "/");
        context.addServlet(new ServletHolder(new FilesServlet(completed)), "/files");
        context.addFilter(
                new FilterHolder(new TorrinFilter(handler, MOUNT_PATH)), "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder tusFilter = new FilterHolder(new TorrinFilter(tus, TUS_PATH));
        tusFilter.setAsyncSupported(true); // bodies are then read without blocking: stalled uploads can be ended
        context.addFilter(tusFilter, "/*", EnumSet.of(DispatcherType.REQUEST));
        // end:servlet-filter

        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
    }

    /**
     * Starts the application.
     *
     * @param host the interface to listen on
     * @param port the port, 0 for any free one
     * @param dataDirectory where files ({@code files/}) and sessions ({@code sessions/}) go
     * @return the running application
     * @throws Exception if Jetty cannot start
     */
    public static ExistingWebapp start(String host, int port, Path dataDirectory) throws Exception {
        return new ExistingWebapp(host, port, dataDirectory);
    }

    /**
     * Runs the application until the process ends: {@code java -cp ... ExistingWebapp [port] [data-directory]}.
     *
     * @param args optional port (default 8081) and data directory (default {@code ./data})
     * @throws Exception if Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        Path data = Path.of(args.length > 1 ? args[1] : "data");
        ExistingWebapp app = start("0.0.0.0", port, data);
        System.out.println("Existing webapp on http://localhost:" + app.port() + "/ with Torrin at " + MOUNT_PATH
                + " and tus at " + TUS_PATH);
        app.server.join();
    }

    /**
     * Returns the port the application listens on.
     *
     * @return the port
     */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Returns the upload service, for tests that look at uploads.
     *
     * @return the service
     */
    public UploadService service() {
        return service;
    }

    /**
     * Returns the storage driver, for tests that read completed files.
     *
     * @return the driver
     */
    public LocalStorageDriver storage() {
        return storage;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            service.close();
            store.close();
        }
    }

    /** The application's own home page. */
    private static final class HomeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter()
                    .println("An existing web application. Uploads: " + MOUNT_PATH
                            + " (Torrin protocol); completed files: /files");
        }
    }

    /** The application's own list of completed uploads. */
    private static final class FilesServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient List<String> completed;

        FilesServlet(List<String> completed) {
            this.completed = completed;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            for (String line : completed) {
                response.getWriter().println(line);
            }
        }
    }
}
