/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The HTTP protocols over a neutral exchange ({@link io.torrin.server.http.HttpRequest} in,
 * {@link io.torrin.server.http.HttpResponse} out), free of any web framework: servlet and Spring adapters only
 * translate their request and response types to these.
 */
package io.torrin.server.http;
