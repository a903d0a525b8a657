/** An UploadStore and cross-instance lease locks on plain JDBC, for PostgreSQL, MariaDB/MySQL and H2. */
package io.torrin.store.jdbc;
