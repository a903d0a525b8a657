/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * A black-box conformance suite for tus 1.0.0 servers ({@link io.torrin.testkit.tus.TusProtocolConformanceKit}),
 * runnable against any creation URL from a test or from the command line
 * ({@link io.torrin.testkit.tus.TusConformanceMain}).
 */
package io.torrin.testkit.tus;
