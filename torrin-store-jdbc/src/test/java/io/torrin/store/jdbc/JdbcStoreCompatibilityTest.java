/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.store.jdbc;

import io.torrin.server.spi.UploadStore;
import io.torrin.server.spi.support.LeaseLocks;
import io.torrin.testkit.DurableUploadStoreCompatibilityKit;
import io.torrin.testkit.SharedLocksCompatibilityKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The store and shared-lock contracts on real PostgreSQL, MariaDB and H2. */
class JdbcStoreCompatibilityTest {

    /** The store contract on one database; each test gets its own tables. */
    abstract static class StoreOn extends DurableUploadStoreCompatibilityKit {
        private final String prefix = Databases.uniquePrefix();
        private final List<JdbcUploadStore> opened = new ArrayList<>();

        abstract DataSource dataSource();

        @Override
        protected UploadStore createStore() {
            JdbcUploadStore store = JdbcUploadStore.builder(dataSource())
                    .tablePrefix(prefix)
                    .createSchema(true)
                    .build();
            opened.add(store);
            return store;
        }

        @Override
        protected UploadStore reopenStore() {
            return createStore();
        }

        @AfterEach
        void dropTables() {
            opened.forEach(JdbcUploadStore::close);
            Databases.dropTables(dataSource(), prefix);
        }
    }

    /** The shared-lock contract on one database: every "process" is another store instance on the same tables. */
    abstract static class LocksOn extends SharedLocksCompatibilityKit {
        private final String prefix = Databases.uniquePrefix();

        abstract DataSource dataSource();

        @Override
        protected LeaseLocks createLocks(Duration lease) {
            return (LeaseLocks) JdbcUploadStore.builder(dataSource())
                    .tablePrefix(prefix)
                    .createSchema(true)
                    .lockLease(lease)
                    .build()
                    .locks();
        }

        @AfterEach
        void dropTables() {
            Databases.dropTables(dataSource(), prefix);
        }
    }

    @Nested
    @DisplayName("PostgreSQL store")
    class PostgresStore extends StoreOn {
        @Override
        DataSource dataSource() {
            return Databases.postgres();
        }
    }

    @Nested
    @DisplayName("MariaDB store")
    class MariaDbStore extends StoreOn {
        @Override
        DataSource dataSource() {
            return Databases.mariadb();
        }
    }

    @Nested
    @DisplayName("H2 store")
    class H2Store extends StoreOn {
        @Override
        DataSource dataSource() {
            return Databases.h2();
        }
    }

    @Nested
    @DisplayName("PostgreSQL locks")
    class PostgresLocks extends LocksOn {
        @Override
        DataSource dataSource() {
            return Databases.postgres();
        }
    }

    @Nested
    @DisplayName("MariaDB locks")
    class MariaDbLocks extends LocksOn {
        @Override
        DataSource dataSource() {
            return Databases.mariadb();
        }
    }

    @Nested
    @DisplayName("H2 locks")
    class H2Locks extends LocksOn {
        @Override
        DataSource dataSource() {
            return Databases.h2();
        }
    }
}
