/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** Implementation details of the engine; not an API, may change without notice. */
package io.torrin.server.internal;
