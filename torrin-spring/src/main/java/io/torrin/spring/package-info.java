/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Spring Boot starter: {@link io.torrin.spring.TorrinAutoConfiguration} maps {@code torrin.*} properties
 * ({@link io.torrin.spring.TorrinProperties}) onto the builders and mounts the protocol as a servlet filter.
 */
package io.torrin.spring;
