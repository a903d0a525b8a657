package io.torrin.spring;

import io.torrin.server.http.CorsPolicy;
import io.torrin.storage.local.Durability;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Torrin starter, bound from {@code torrin.*}. Every value has a working default: with no
 * configuration at all, uploads go to {@code ./uploads} and sessions to the durable file store in
 * {@code ./uploads/.torrin}, served under {@code /torrin/uploads}.
 */
@ConfigurationProperties(prefix = "torrin")
public class TorrinProperties {

    /** Whether to configure Torrin at all. */
    private boolean enabled = true;

    /** The path the Torrin protocol is served under, relative to the context path. */
    private String basePath = "/torrin/uploads";

    /** Order of the servlet filter serving the protocol; keep it after Spring Security's filter chain (-100). */
    private int filterOrder = 0;

    /** Largest JSON request body accepted (create, complete). */
    private DataSize maxJsonSize = DataSize.ofKilobytes(64);

    /** Whether Location URLs follow Forwarded / X-Forwarded-* headers; enable only behind a proxy that sets them. */
    private boolean trustForwardedHeaders;

    /** Largest file accepted; unset means no limit beyond the chunk limits and the storage's. */
    private DataSize maxFileSize;

    /** Largest total size of metadata keys and values (UTF-8). */
    private DataSize maxMetadataSize = DataSize.ofKilobytes(16);

    /** How long an unfinished upload lives after its creation or its latest chunk. */
    private Duration uploadTtl = Duration.ofHours(24);

    /** How long completed and canceled uploads are remembered. */
    private Duration finishedRetention = Duration.ofHours(24);

    /** Longest wait for an upload's lock before answering 423 UPLOAD_LOCKED. */
    private Duration lockTimeout = Duration.ofSeconds(10);

    /** How often expired uploads are swept; 0 turns the background sweep off. */
    private Duration sweepInterval = Duration.ofMinutes(1);

    private final Chunk chunk = new Chunk();
    private final Storage storage = new Storage();
    private final Store store = new Store();
    private final Cors cors = new Cors();
    private final Tus tus = new Tus();

    /** The tus 1.0 protocol, served beside the Torrin protocol on the same uploads engine. */
    public static class Tus {

        /** Whether to serve tus. */
        private boolean enabled = true;

        /** The path tus is served under (its creation URL), relative to the context path. */
        private String path = "/torrin/tus";

        /** Longest Upload-Metadata header accepted; longer ones are answered with 400. */
        private DataSize maxMetadataSize = DataSize.ofKilobytes(4);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public DataSize getMaxMetadataSize() {
            return maxMetadataSize;
        }

        public void setMaxMetadataSize(DataSize maxMetadataSize) {
            this.maxMetadataSize = maxMetadataSize;
        }
    }

    /** Chunk size negotiation limits. */
    public static class Chunk {
        /** Chunk size used when the client has no wish. */
        private DataSize defaultSize = DataSize.ofMegabytes(1);
        /** Smallest chunk size (every chunk but the last). */
        private DataSize minSize = DataSize.ofKilobytes(256);
        /** Largest chunk size. */
        private DataSize maxSize = DataSize.ofMegabytes(100);
        /** Most chunks per upload; larger files get larger chunks. */
        private int maxCount = 100_000;

        public DataSize getDefaultSize() {
            return defaultSize;
        }

        public void setDefaultSize(DataSize defaultSize) {
            this.defaultSize = defaultSize;
        }

        public DataSize getMinSize() {
            return minSize;
        }

        public void setMinSize(DataSize minSize) {
            this.minSize = minSize;
        }

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public int getMaxCount() {
            return maxCount;
        }

        public void setMaxCount(int maxCount) {
            this.maxCount = maxCount;
        }
    }

    /** Where the bytes go. */
    public static class Storage {
        /** The storage backend. */
        private StorageType type = StorageType.LOCAL;

        private final Local local = new Local();
        private final S3 s3 = new S3();

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

            public String getBucket() {
                return bucket;
            }

            public void setBucket(String bucket) {
                this.bucket = bucket;
            }

            public String getPrefix() {
                return prefix;
            }

            public void setPrefix(String prefix) {
                this.prefix = prefix;
            }

            public Naming getNaming() {
                return naming;
            }

            public void setNaming(Naming naming) {
                this.naming = naming;
            }

            public String getRegion() {
                return region;
            }

            public void setRegion(String region) {
                this.region = region;
            }

            public URI getEndpoint() {
                return endpoint;
            }

            public void setEndpoint(URI endpoint) {
                this.endpoint = endpoint;
            }

            public boolean isPathStyle() {
                return pathStyle;
            }

            public void setPathStyle(boolean pathStyle) {
                this.pathStyle = pathStyle;
            }
        }

        public StorageType getType() {
            return type;
        }

        public void setType(StorageType type) {
            this.type = type;
        }

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

            public Path getDirectory() {
                return directory;
            }

            public void setDirectory(Path directory) {
                this.directory = directory;
            }

            public Naming getNaming() {
                return naming;
            }

            public void setNaming(Naming naming) {
                this.naming = naming;
            }

            public Durability getDurability() {
                return durability;
            }

            public void setDurability(Durability durability) {
                this.durability = durability;
            }
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

    /** Where session state goes. */
    public static class Store {
        /** The store: the durable embedded file store, memory (lost on restart), jdbc or redis (shared by instances). */
        private StoreType type = StoreType.FILE;
        /** Lease of the jdbc and redis stores' locks: a crashed instance's locks free themselves within it. */
        private Duration lockLease = Duration.ofSeconds(30);

        private final File file = new File();
        private final Jdbc jdbc = new Jdbc();
        private final Redis redis = new Redis();

        public Duration getLockLease() {
            return lockLease;
        }

        public void setLockLease(Duration lockLease) {
            this.lockLease = lockLease;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        public Redis getRedis() {
            return redis;
        }

        /** The JDBC store on the application's DataSource (needs io.torrin:torrin-store-jdbc). */
        public static class Jdbc {
            /** Prefix of the store's tables. */
            private String tablePrefix = "torrin_";
            /** Whether missing tables are created at startup (CREATE TABLE IF NOT EXISTS). */
            private boolean createSchema = true;

            public String getTablePrefix() {
                return tablePrefix;
            }

            public void setTablePrefix(String tablePrefix) {
                this.tablePrefix = tablePrefix;
            }

            public boolean isCreateSchema() {
                return createSchema;
            }

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

            public URI getUrl() {
                return url;
            }

            public void setUrl(URI url) {
                this.url = url;
            }

            public String getKeyPrefix() {
                return keyPrefix;
            }

            public void setKeyPrefix(String keyPrefix) {
                this.keyPrefix = keyPrefix;
            }
        }

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public File getFile() {
            return file;
        }

        /** The file store. */
        public static class File {
            /** Directory of the file store; default: {@code .torrin} inside the local storage directory. */
            private Path directory;
            /** Whether every write is forced to disk before it is acknowledged. */
            private boolean fsync = true;

            public Path getDirectory() {
                return directory;
            }

            public void setDirectory(Path directory) {
                this.directory = directory;
            }

            public boolean isFsync() {
                return fsync;
            }

            public void setFsync(boolean fsync) {
                this.fsync = fsync;
            }
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

    /** Cross-origin access to the upload endpoints; off unless origins are listed. */
    public static class Cors {
        /** Origins allowed to call the endpoints from a browser, for example https://app.example.com, or *. */
        private List<String> allowedOrigins = new ArrayList<>();
        /** Request headers browsers may send. */
        private List<String> allowedHeaders = new ArrayList<>(CorsPolicy.DEFAULT_ALLOWED_HEADERS);
        /** Response headers scripts may read. */
        private List<String> exposedHeaders = new ArrayList<>(CorsPolicy.DEFAULT_EXPOSED_HEADERS);
        /** Whether cookies and HTTP authentication may be sent (not with *). */
        private boolean allowCredentials;
        /** How long browsers may cache a preflight answer. */
        private Duration maxAge = Duration.ofHours(1);

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public List<String> getAllowedHeaders() {
            return allowedHeaders;
        }

        public void setAllowedHeaders(List<String> allowedHeaders) {
            this.allowedHeaders = allowedHeaders;
        }

        public List<String> getExposedHeaders() {
            return exposedHeaders;
        }

        public void setExposedHeaders(List<String> exposedHeaders) {
            this.exposedHeaders = exposedHeaders;
        }

        public boolean isAllowCredentials() {
            return allowCredentials;
        }

        public void setAllowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBasePath() {
        return basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public int getFilterOrder() {
        return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    public DataSize getMaxJsonSize() {
        return maxJsonSize;
    }

    public void setMaxJsonSize(DataSize maxJsonSize) {
        this.maxJsonSize = maxJsonSize;
    }

    public boolean isTrustForwardedHeaders() {
        return trustForwardedHeaders;
    }

    public void setTrustForwardedHeaders(boolean trustForwardedHeaders) {
        this.trustForwardedHeaders = trustForwardedHeaders;
    }

    public DataSize getMaxFileSize() {
        return maxFileSize;
    }

    public void setMaxFileSize(DataSize maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    public DataSize getMaxMetadataSize() {
        return maxMetadataSize;
    }

    public void setMaxMetadataSize(DataSize maxMetadataSize) {
        this.maxMetadataSize = maxMetadataSize;
    }

    public Duration getUploadTtl() {
        return uploadTtl;
    }

    public void setUploadTtl(Duration uploadTtl) {
        this.uploadTtl = uploadTtl;
    }

    public Duration getFinishedRetention() {
        return finishedRetention;
    }

    public void setFinishedRetention(Duration finishedRetention) {
        this.finishedRetention = finishedRetention;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Duration getSweepInterval() {
        return sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    public Chunk getChunk() {
        return chunk;
    }

    public Storage getStorage() {
        return storage;
    }

    public Store getStore() {
        return store;
    }

    public Cors getCors() {
        return cors;
    }

    public Tus getTus() {
        return tus;
    }
}
