/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** A storage driver that keeps uploads as files on a local or mounted file system. */
package io.torrin.storage.local;
