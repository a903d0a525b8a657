/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.storage.local.Durability;
import java.net.URI;
import java.nio.file.Path;

/** Where the bytes go, bound from {@code torrin.storage.*}. */
public class TorrinStorageProperties {
    /** The storage backend. */
    private StorageType type = StorageType.LOCAL;

    private final Local local = new Local();
    private final S3 s3 = new S3();

    /**
     * Returns the {@code s3} settings.
     *
     * @return the settings, never null
     */
    public S3 getS3() {
        return s3;
    }

    /** S3 or S3-compatible storage (needs io.torrin:torrin-storage-s3 on the classpath). */
    public static class S3 {
        /** The bucket (required for the s3 storage type). */
        private String bucket;
        /** Prefix of every object key, for example uploads/. */
        private String prefix = "";
        /** How object keys are named: by upload id (keeping the extension) or by the original name. */
        private Naming naming = Naming.UPLOAD_ID;
        /** Region of the S3Client the starter builds when the application defines none. */
        private String region;
        /** Endpoint of an S3-compatible store (MinIO, R2, ...) for the client the starter builds. */
        private URI endpoint;
        /** Whether the client the starter builds uses path-style URLs (MinIO and most self-hosted stores). */
        private boolean pathStyle;

        /**
         * Returns {@code bucket}: The bucket (required for the s3 storage type).
         *
         * @return the value
         */
        public String getBucket() {
            return bucket;
        }

        /**
         * Sets {@code bucket}: The bucket (required for the s3 storage type).
         *
         * @param bucket the new value
         */
        public void setBucket(String bucket) {
            this.bucket = bucket;
        }

        /**
         * Returns {@code prefix}: Prefix of every object key, for example uploads/.
         *
         * @return the value
         */
        public String getPrefix() {
            return prefix;
        }

        /**
         * Sets {@code prefix}: Prefix of every object key, for example uploads/.
         *
         * @param prefix the new value
         */
        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        /**
         * Returns {@code naming}: How completed files are named: by upload id (keeping the extension) or by the original name.
         *
         * @return the value
         */
        public Naming getNaming() {
            return naming;
        }

        /**
         * Sets {@code naming}: How completed files are named: by upload id (keeping the extension) or by the original name.
         *
         * @param naming the new value
         */
        public void setNaming(Naming naming) {
            this.naming = naming;
        }

        /**
         * Returns {@code region}: Region of the S3Client the starter builds when the application defines none.
         *
         * @return the value
         */
        public String getRegion() {
            return region;
        }

        /**
         * Sets {@code region}: Region of the S3Client the starter builds when the application defines none.
         *
         * @param region the new value
         */
        public void setRegion(String region) {
            this.region = region;
        }

        /**
         * Returns {@code endpoint}: Endpoint of an S3-compatible store (MinIO, R2, ...) for the client the starter builds.
         *
         * @return the value
         */
        public URI getEndpoint() {
            return endpoint;
        }

        /**
         * Sets {@code endpoint}: Endpoint of an S3-compatible store (MinIO, R2, ...) for the client the starter builds.
         *
         * @param endpoint the new value
         */
        public void setEndpoint(URI endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * Returns {@code pathStyle}: Whether the client the starter builds uses path-style URLs (MinIO and most self-hosted stores).
         *
         * @return the value
         */
        public boolean isPathStyle() {
            return pathStyle;
        }

        /**
         * Sets {@code pathStyle}: Whether the client the starter builds uses path-style URLs (MinIO and most self-hosted stores).
         *
         * @param pathStyle the new value
         */
        public void setPathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
        }
    }

    /**
     * Returns {@code type}: The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances).
     *
     * @return the value
     */
    public StorageType getType() {
        return type;
    }

    /**
     * Sets {@code type}: The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances).
     *
     * @param type the new value
     */
    public void setType(StorageType type) {
        this.type = type;
    }

    /**
     * Returns the {@code local} settings.
     *
     * @return the settings, never null
     */
    public Local getLocal() {
        return local;
    }

    /** The local-disk storage. */
    public static class Local {
        /** Directory completed files go to (staging data lives inside it). */
        private Path directory = Path.of("uploads");
        /** How completed files are named: by upload id (keeping the extension) or by the original name. */
        private Naming naming = Naming.UPLOAD_ID;
        /** When bytes are forced to disk. */
        private Durability durability = Durability.FSYNC_EACH_CHUNK;

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
         * Returns {@code naming}: How completed files are named: by upload id (keeping the extension) or by the original name.
         *
         * @return the value
         */
        public Naming getNaming() {
            return naming;
        }

        /**
         * Sets {@code naming}: How completed files are named: by upload id (keeping the extension) or by the original name.
         *
         * @param naming the new value
         */
        public void setNaming(Naming naming) {
            this.naming = naming;
        }

        /**
         * Returns {@code durability}: When bytes are forced to disk.
         *
         * @return the value
         */
        public Durability getDurability() {
            return durability;
        }

        /**
         * Sets {@code durability}: When bytes are forced to disk.
         *
         * @param durability the new value
         */
        public void setDurability(Durability durability) {
            this.durability = durability;
        }
    }

    /** The storage backends the starter can configure. */
    public enum StorageType {
        /** A local or mounted file system. */
        LOCAL,
        /** S3 or an S3-compatible store, through torrin-storage-s3. */
        S3
    }

    /** Naming strategies of the storage backends. */
    public enum Naming {
        /** {@code <uploadId><ext>}. */
        UPLOAD_ID,
        /** {@code <uploadId>/<sanitized original name>}. */
        ORIGINAL_NAME
    }
}
