/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The service provider interfaces backends implement: {@link io.torrin.server.spi.StorageDriver} and its
 * capabilities (where bytes go), {@link io.torrin.server.spi.UploadStore} with {@link io.torrin.server.spi.UploadRecord}
 * and {@link io.torrin.server.spi.UploadLocks} (where session state goes).
 */
package io.torrin.server.spi;
