/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** A storage driver on S3 multipart uploads (AWS SDK for Java v2), for AWS S3 and S3-compatible stores. */
package io.torrin.storage.s3;
