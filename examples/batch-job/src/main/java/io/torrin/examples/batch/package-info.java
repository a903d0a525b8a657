/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** A command-line batch job that uploads a directory through the direct Java API. */
package io.torrin.examples.batch;
