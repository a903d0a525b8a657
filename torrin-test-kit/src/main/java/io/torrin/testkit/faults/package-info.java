/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * A test tool: {@link io.torrin.testkit.faults.FaultInjector} makes a servlet filter that injects HTTP faults
 * (failed answers, delays, dropped connections, short or corrupted bodies) into chosen requests, so that a client's
 * retries and resumes can be tested against a real server. Never register it in production; the Spring starter
 * never does.
 */
package io.torrin.testkit.faults;
