/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * A black-box conformance suite for servers of the IETF draft "Resumable Uploads for HTTP"
 * ({@link io.torrin.testkit.ietf.ResumableUploadConformanceKit}), runnable against any creation URL from a test or
 * from the command line ({@link io.torrin.testkit.ietf.ResumableConformanceMain}).
 */
package io.torrin.testkit.ietf;
