/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.benchmarks.tus;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One embedded Jetty 12 on a free loopback port serving one servlet under {@code /files}: the container every
 * JVM-side target of the tus benchmark runs in, so that they differ only in their servlet.
 *
 * @param server the running server
 * @param creationUrl the servlet's base URL, {@code http://127.0.0.1:<port>/files}
 */
public record LoopbackJetty(Server server, URI creationUrl) {

    /** The path the servlet is mapped under. */
    public static final String PATH = "/files";

    /**
     * Starts Jetty with the servlet mapped to {@code /files/*}.
     *
     * @param name the thread pool's name
     * @param servlet the servlet
     * @return the running server
     * @throws Exception if Jetty does not start (it is stopped again)
     */
    public static LoopbackJetty start(String name, ServletHolder servlet) throws Exception {
        TusJavaServerTarget.quietLogging();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(servlet, PATH + "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new LoopbackJetty(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + PATH));
    }

    /**
     * Stops Jetty.
     *
     * @throws IOException if stopping failed
     */
    public void stop() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("stopping Jetty failed", e);
        }
    }
}
