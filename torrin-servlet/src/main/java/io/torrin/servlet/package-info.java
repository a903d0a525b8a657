/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Jakarta Servlet adapter: {@link io.torrin.servlet.TorrinServlet} and {@link io.torrin.servlet.TorrinFilter}
 * translate servlet requests to the neutral exchange of {@code io.torrin.server.http} and back; no upload logic
 * lives here.
 */
package io.torrin.servlet;
