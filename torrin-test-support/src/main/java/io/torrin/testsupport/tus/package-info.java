/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Drivers for real tus 1.0 clients, for interop tests against a tus endpoint: {@link
 * io.torrin.testsupport.tus.JavaTusClientRunner} runs {@code io.tus.java.client:tus-java-client} in the test's
 * JVM, {@link io.torrin.testsupport.tus.NodeTusClientRunner} runs the npm package {@code tus-js-client} under
 * Node. Both can stop an upload part-way, as an interrupted client would, and resume it with a new client
 * instance. Failures surface as {@link io.torrin.testsupport.tus.TusClientException}.
 */
package io.torrin.testsupport.tus;
