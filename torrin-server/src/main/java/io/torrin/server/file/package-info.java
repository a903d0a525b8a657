/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** The durable embedded file store: the default store, which survives a process kill and needs no server. */
package io.torrin.server.file;
