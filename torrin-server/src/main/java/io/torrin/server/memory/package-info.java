/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** The in-memory reference implementations of both SPIs, for tests and single-process development. */
package io.torrin.server.memory;
