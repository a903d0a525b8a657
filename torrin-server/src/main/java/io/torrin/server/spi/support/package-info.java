/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * What backend authors reuse: the contract rules every store applies, lease locks, the in-process locks, the record
 * codec and storage names.
 */
package io.torrin.server.spi.support;
