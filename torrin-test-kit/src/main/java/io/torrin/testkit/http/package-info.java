/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Black-box HTTP conformance suites that run against any base URL: a servlet container, a Spring Boot app, an
 * example, or a deployed server ({@link io.torrin.testkit.http.ConformanceMain}).
 */
package io.torrin.testkit.http;
