/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** Micrometer metrics and observations of an UploadService: {@link io.torrin.micrometer.TorrinMetrics}. */
package io.torrin.micrometer;
