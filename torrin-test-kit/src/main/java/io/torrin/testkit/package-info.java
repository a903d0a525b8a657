/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Contract test kits: abstract JUnit 5 classes that every {@link io.torrin.server.spi.StorageDriver} and
 * {@link io.torrin.server.spi.UploadStore} implementation runs through a short subclass, plus an end-to-end
 * kit for the service on a given driver and store.
 */
package io.torrin.testkit;
