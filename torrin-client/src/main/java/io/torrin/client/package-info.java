/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * A client for the Torrin wire protocol: {@link io.torrin.client.TorrinClient} uploads files to a Torrin server in
 * parallel chunks, each with its SHA-256, retries what a retry can cure, and resumes an interrupted upload, also
 * from another process, by asking the server which chunks it already has.
 */
package io.torrin.client;
