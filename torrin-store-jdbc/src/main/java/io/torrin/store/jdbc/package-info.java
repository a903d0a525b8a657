/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/** An UploadStore and cross-instance lease locks on plain JDBC, for PostgreSQL, MariaDB/MySQL and H2. */
package io.torrin.store.jdbc;
