/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code torrin} command line: {@code upload}, {@code status} and {@code abort} against a Torrin server,
 * through {@link io.torrin.client.TorrinClient}.
 */
package io.torrin.cli;
