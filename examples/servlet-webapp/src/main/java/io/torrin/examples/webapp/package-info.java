/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** An existing-style servlet web application on embedded Jetty that mounts Torrin with its filter. */
package io.torrin.examples.webapp;
