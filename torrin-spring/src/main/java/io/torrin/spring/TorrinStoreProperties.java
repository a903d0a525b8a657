/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Where session state goes, bound from {@code torrin.store.*}. */
public class TorrinStoreProperties {
    /** The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances). */
    private StoreType type = StoreType.FILE;
    /** Lease of the jdbc and redis stores' locks: a crashed instance's locks free themselves within it. */
    private Duration lockLease = Duration.ofSeconds(30);

    private final File file = new File();
    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();

    /**
     * Returns {@code lockLease}: Lease of the jdbc and redis stores' locks: a crashed instance's locks free themselves within it.
     *
     * @return the value
     */
    public Duration getLockLease() {
        return lockLease;
    }

    /**
     * Sets {@code lockLease}: Lease of the jdbc and redis stores' locks: a crashed instance's locks free themselves within it.
     *
     * @param lockLease the new value
     */
    public void setLockLease(Duration lockLease) {
        this.lockLease = lockLease;
    }

    /**
     * Returns the {@code jdbc} settings.
     *
     * @return the settings, never null
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * Returns the {@code redis} settings.
     *
     * @return the settings, never null
     */
    public Redis getRedis() {
        return redis;
    }

    /** The JDBC store on the application's DataSource (needs io.torrin:torrin-store-jdbc). */
    public static class Jdbc {
        /** Prefix of the store's tables. */
        private String tablePrefix = "torrin_";
        /** Whether missing tables are created at startup (CREATE TABLE IF NOT EXISTS). */
        private boolean createSchema = true;

        /**
         * Returns {@code tablePrefix}: Prefix of the store's tables.
         *
         * @return the value
         */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /**
         * Sets {@code tablePrefix}: Prefix of the store's tables.
         *
         * @param tablePrefix the new value
         */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /**
         * Returns {@code createSchema}: Whether missing tables are created at startup (CREATE TABLE IF NOT EXISTS).
         *
         * @return the value
         */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /**
         * Sets {@code createSchema}: Whether missing tables are created at startup (CREATE TABLE IF NOT EXISTS).
         *
         * @param createSchema the new value
         */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** The Redis store (needs io.torrin:torrin-store-redis). */
    public static class Redis {
        /** Redis URL for the client the starter builds when the application defines no UnifiedJedis bean. */
        private URI url = URI.create("redis://localhost:6379");
        /** Prefix of every key the store writes. */
        private String keyPrefix = "torrin:";

        /**
         * Returns {@code url}: Redis URL for the client the starter builds when the application defines no UnifiedJedis bean.
         *
         * @return the value
         */
        public URI getUrl() {
            return url;
        }

        /**
         * Sets {@code url}: Redis URL for the client the starter builds when the application defines no UnifiedJedis bean.
         *
         * @param url the new value
         */
        public void setUrl(URI url) {
            this.url = url;
        }

        /**
         * Returns {@code keyPrefix}: Prefix of every key the store writes.
         *
         * @return the value
         */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * Sets {@code keyPrefix}: Prefix of every key the store writes.
         *
         * @param keyPrefix the new value
         */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    /**
     * Returns {@code type}: The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances).
     *
     * @return the value
     */
    public StoreType getType() {
        return type;
    }

    /**
     * Sets {@code type}: The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances).
     *
     * @param type the new value
     */
    public void setType(StoreType type) {
        this.type = type;
    }

    /**
     * Returns the {@code file} settings.
     *
     * @return the settings, never null
     */
    public File getFile() {
        return file;
    }

    /** The file store. */
    public static class File {
        /** Directory of the file store; default: {@code .torrin} inside the local storage directory. */
        private Path directory;
        /** Whether every write is forced to disk before it is acknowledged. */
        private boolean fsync = true;

        /**
         * Returns {@code directory}: Directory of the file store; default: {@code .torrin} inside the local storage directory.
         *
         * @return the value
         */
        public Path getDirectory() {
            return directory;
        }

        /**
         * Sets {@code directory}: Directory of the file store; default: {@code .torrin} inside the local storage directory.
         *
         * @param directory the new value
         */
        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        /**
         * Returns {@code fsync}: Whether every write is forced to disk before it is acknowledged.
         *
         * @return the value
         */
        public boolean isFsync() {
            return fsync;
        }

        /**
         * Sets {@code fsync}: Whether every write is forced to disk before it is acknowledged.
         *
         * @param fsync the new value
         */
        public void setFsync(boolean fsync) {
            this.fsync = fsync;
        }
    }

    /** The stores the starter can configure. */
    public enum StoreType {
        /** The durable embedded file store. */
        FILE,
        /** In memory; sessions are lost on restart. */
        MEMORY,
        /** The JDBC store on the application's DataSource, shared by instances. */
        JDBC,
        /** The Redis store, shared by instances. */
        REDIS
    }
}
