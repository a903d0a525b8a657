/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** The example Spring Boot application: the Torrin starter plus a browser upload page. */
package io.torrin.examples.spring;
