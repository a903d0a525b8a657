/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** An UploadStore and cross-instance lease locks on Redis. */
package io.torrin.store.redis;
