/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** A command-line demo of Torrin's direct Java API: a generated file uploaded in parallel chunks. */
package io.torrin.examples.direct;
