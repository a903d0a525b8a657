/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The upload engine ({@link io.torrin.server.UploadService}) and the SPIs it is built on: storage drivers,
 * hooks and listeners.
 */
package io.torrin.server;
