/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Torrin's value types, error codes and protocol constants, shared by the engine, every storage and
 * store backend, and the HTTP adapters; this package has no dependencies.
 */
package io.torrin.core;
