/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** A minimal headless-Chromium driver over the Chrome DevTools Protocol, for end-to-end tests of upload pages. */
package io.torrin.testsupport.browser;
