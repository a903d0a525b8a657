/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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

    /**
     * How far an upload's expiry must move before a chunk writes it (0 writes it on every chunk); an upload may
     * expire up to this much earlier than upload-ttl after its latest chunk.
     */
    private Duration expiryStep = Duration.ofMinutes(1);

    /** How long completed and canceled uploads are remembered. */
    private Duration finishedRetention = Duration.ofHours(24);

    /** Longest wait for an upload's lock before answering 423 UPLOAD_LOCKED. */
    private Duration lockTimeout = Duration.ofSeconds(10);

    /** How often expired uploads are swept; 0 turns the background sweep off. */
    private Duration sweepInterval = Duration.ofMinutes(1);

    /**
     * Slowest a request body may arrive, per second: a chunk or PATCH bringing less within one data-rate window is
     * ended (a PATCH keeps what it stored), so trickling clients cannot hold threads and locks; 0 turns it off.
     */
    private DataSize minimumDataRate = DataSize.ofKilobytes(1);

    /** The span the minimum data rate is measured over. */
    private Duration dataRateWindow = Duration.ofSeconds(30);

    /** Most uploads this instance may hold unfinished at once (429 TOO_MANY_UPLOADS beyond); 0 means no limit. */
    private int maxUnfinishedUploads = 0;

    private final Chunk chunk = new Chunk();

    @NestedConfigurationProperty
    private final TorrinStorageProperties storage = new TorrinStorageProperties();

    @NestedConfigurationProperty
    private final TorrinStoreProperties store = new TorrinStoreProperties();

    @NestedConfigurationProperty
    private final TorrinCorsProperties cors = new TorrinCorsProperties();

    @NestedConfigurationProperty
    private final TorrinProtocolProperties.Downloads downloads = new TorrinProtocolProperties.Downloads();

    @NestedConfigurationProperty
    private final TorrinProtocolProperties.Tus tus = new TorrinProtocolProperties.Tus();

    @NestedConfigurationProperty
    private final TorrinProtocolProperties.Resumable resumable = new TorrinProtocolProperties.Resumable();

    @NestedConfigurationProperty
    private final TorrinOperationsProperties.Metrics metrics = new TorrinOperationsProperties.Metrics();

    @NestedConfigurationProperty
    private final TorrinOperationsProperties.Health health = new TorrinOperationsProperties.Health();

    @NestedConfigurationProperty
    private final TorrinOperationsProperties.Events events = new TorrinOperationsProperties.Events();

    @NestedConfigurationProperty
    private final TorrinOperationsProperties.Shutdown shutdown = new TorrinOperationsProperties.Shutdown();

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

        /**
         * Returns {@code defaultSize}: Chunk size used when the client has no wish.
         *
         * @return the value
         */
        public DataSize getDefaultSize() {
            return defaultSize;
        }

        /**
         * Sets {@code defaultSize}: Chunk size used when the client has no wish.
         *
         * @param defaultSize the new value
         */
        public void setDefaultSize(DataSize defaultSize) {
            this.defaultSize = defaultSize;
        }

        /**
         * Returns {@code minSize}: Smallest chunk size (every chunk but the last).
         *
         * @return the value
         */
        public DataSize getMinSize() {
            return minSize;
        }

        /**
         * Sets {@code minSize}: Smallest chunk size (every chunk but the last).
         *
         * @param minSize the new value
         */
        public void setMinSize(DataSize minSize) {
            this.minSize = minSize;
        }

        /**
         * Returns {@code maxSize}: Largest chunk size.
         *
         * @return the value
         */
        public DataSize getMaxSize() {
            return maxSize;
        }

        /**
         * Sets {@code maxSize}: Largest chunk size.
         *
         * @param maxSize the new value
         */
        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        /**
         * Returns {@code maxCount}: Most chunks per upload; larger files get larger chunks.
         *
         * @return the value
         */
        public int getMaxCount() {
            return maxCount;
        }

        /**
         * Sets {@code maxCount}: Most chunks per upload; larger files get larger chunks.
         *
         * @param maxCount the new value
         */
        public void setMaxCount(int maxCount) {
            this.maxCount = maxCount;
        }
    }

    /**
     * Returns {@code enabled}: Whether to serve tus.
     *
     * @return the value
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code enabled}: Whether to serve tus.
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns {@code basePath}: The path the Torrin protocol is served under, relative to the context path.
     *
     * @return the value
     */
    public String getBasePath() {
        return basePath;
    }

    /**
     * Sets {@code basePath}: The path the Torrin protocol is served under, relative to the context path.
     *
     * @param basePath the new value
     */
    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    /**
     * Returns {@code filterOrder}: Order of the servlet filter serving the protocol; keep it after Spring Security's filter chain (-100).
     *
     * @return the value
     */
    public int getFilterOrder() {
        return filterOrder;
    }

    /**
     * Sets {@code filterOrder}: Order of the servlet filter serving the protocol; keep it after Spring Security's filter chain (-100).
     *
     * @param filterOrder the new value
     */
    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    /**
     * Returns {@code maxJsonSize}: Largest JSON request body accepted (create, complete).
     *
     * @return the value
     */
    public DataSize getMaxJsonSize() {
        return maxJsonSize;
    }

    /**
     * Sets {@code maxJsonSize}: Largest JSON request body accepted (create, complete).
     *
     * @param maxJsonSize the new value
     */
    public void setMaxJsonSize(DataSize maxJsonSize) {
        this.maxJsonSize = maxJsonSize;
    }

    /**
     * Returns {@code trustForwardedHeaders}: Whether Location URLs follow Forwarded / X-Forwarded-* headers; enable only behind a proxy that sets them.
     *
     * @return the value
     */
    public boolean isTrustForwardedHeaders() {
        return trustForwardedHeaders;
    }

    /**
     * Sets {@code trustForwardedHeaders}: Whether Location URLs follow Forwarded / X-Forwarded-* headers; enable only behind a proxy that sets them.
     *
     * @param trustForwardedHeaders the new value
     */
    public void setTrustForwardedHeaders(boolean trustForwardedHeaders) {
        this.trustForwardedHeaders = trustForwardedHeaders;
    }

    /**
     * Returns {@code maxFileSize}: Largest file accepted; unset means no limit beyond the chunk limits and the storage's.
     *
     * @return the value
     */
    public DataSize getMaxFileSize() {
        return maxFileSize;
    }

    /**
     * Sets {@code maxFileSize}: Largest file accepted; unset means no limit beyond the chunk limits and the storage's.
     *
     * @param maxFileSize the new value
     */
    public void setMaxFileSize(DataSize maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    /**
     * Returns {@code maxMetadataSize}: Longest Upload-Metadata header accepted; longer ones are answered with 400.
     *
     * @return the value
     */
    public DataSize getMaxMetadataSize() {
        return maxMetadataSize;
    }

    /**
     * Sets {@code maxMetadataSize}: Longest Upload-Metadata header accepted; longer ones are answered with 400.
     *
     * @param maxMetadataSize the new value
     */
    public void setMaxMetadataSize(DataSize maxMetadataSize) {
        this.maxMetadataSize = maxMetadataSize;
    }

    /**
     * Returns {@code uploadTtl}: How long an unfinished upload lives after its creation or its latest chunk.
     *
     * @return the value
     */
    public Duration getUploadTtl() {
        return uploadTtl;
    }

    /**
     * Sets {@code uploadTtl}: How long an unfinished upload lives after its creation or its latest chunk.
     *
     * @param uploadTtl the new value
     */
    public void setUploadTtl(Duration uploadTtl) {
        this.uploadTtl = uploadTtl;
    }

    /**
     * Returns {@code expiryStep}: How far an upload's expiry must move before a chunk writes it (0 writes it on every
     * chunk); an upload may expire up to this much earlier than {@code upload-ttl} after its latest chunk.
     *
     * @return the value
     */
    public Duration getExpiryStep() {
        return expiryStep;
    }

    /**
     * Sets {@code expiryStep}: How far an upload's expiry must move before a chunk writes it (0 writes it on every
     * chunk); an upload may expire up to this much earlier than {@code upload-ttl} after its latest chunk.
     *
     * @param expiryStep the new value
     */
    public void setExpiryStep(Duration expiryStep) {
        this.expiryStep = expiryStep;
    }

    /**
     * Returns {@code finishedRetention}: How long completed and canceled uploads are remembered.
     *
     * @return the value
     */
    public Duration getFinishedRetention() {
        return finishedRetention;
    }

    /**
     * Sets {@code finishedRetention}: How long completed and canceled uploads are remembered.
     *
     * @param finishedRetention the new value
     */
    public void setFinishedRetention(Duration finishedRetention) {
        this.finishedRetention = finishedRetention;
    }

    /**
     * Returns {@code lockTimeout}: Longest wait for an upload's lock before answering 423 UPLOAD_LOCKED.
     *
     * @return the value
     */
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    /**
     * Sets {@code lockTimeout}: Longest wait for an upload's lock before answering 423 UPLOAD_LOCKED.
     *
     * @param lockTimeout the new value
     */
    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /**
     * Returns {@code sweepInterval}: How often expired uploads are swept; 0 turns the background sweep off.
     *
     * @return the value
     */
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    /**
     * Sets {@code sweepInterval}: How often expired uploads are swept; 0 turns the background sweep off.
     *
     * @param sweepInterval the new value
     */
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    /**
     * Returns {@code minimumDataRate}: Slowest a request body may arrive, per second.
     *
     * @return the value
     */
    public DataSize getMinimumDataRate() {
        return minimumDataRate;
    }

    /**
     * Sets {@code minimumDataRate}: Slowest a request body may arrive, per second.
     *
     * @param minimumDataRate the new value
     */
    public void setMinimumDataRate(DataSize minimumDataRate) {
        this.minimumDataRate = minimumDataRate;
    }

    /**
     * Returns {@code dataRateWindow}: The span the minimum data rate is measured over.
     *
     * @return the value
     */
    public Duration getDataRateWindow() {
        return dataRateWindow;
    }

    /**
     * Sets {@code dataRateWindow}: The span the minimum data rate is measured over.
     *
     * @param dataRateWindow the new value
     */
    public void setDataRateWindow(Duration dataRateWindow) {
        this.dataRateWindow = dataRateWindow;
    }

    /**
     * Returns {@code maxUnfinishedUploads}: Most uploads this instance may hold unfinished at once.
     *
     * @return the value
     */
    public int getMaxUnfinishedUploads() {
        return maxUnfinishedUploads;
    }

    /**
     * Sets {@code maxUnfinishedUploads}: Most uploads this instance may hold unfinished at once.
     *
     * @param maxUnfinishedUploads the new value
     */
    public void setMaxUnfinishedUploads(int maxUnfinishedUploads) {
        this.maxUnfinishedUploads = maxUnfinishedUploads;
    }

    /**
     * Returns the {@code chunk} settings.
     *
     * @return the settings, never null
     */
    public Chunk getChunk() {
        return chunk;
    }

    /**
     * Returns the {@code storage} settings.
     *
     * @return the settings, never null
     */
    public TorrinStorageProperties getStorage() {
        return storage;
    }

    /**
     * Returns the {@code store} settings.
     *
     * @return the settings, never null
     */
    public TorrinStoreProperties getStore() {
        return store;
    }

    /**
     * Returns the {@code cors} settings.
     *
     * @return the settings, never null
     */
    public TorrinCorsProperties getCors() {
        return cors;
    }

    /**
     * Returns the {@code downloads} settings.
     *
     * @return the settings, never null
     */
    public TorrinProtocolProperties.Downloads getDownloads() {
        return downloads;
    }

    /**
     * Returns the {@code tus} settings.
     *
     * @return the settings, never null
     */
    public TorrinProtocolProperties.Tus getTus() {
        return tus;
    }

    /**
     * Returns the {@code resumable} settings (the IETF resumable-upload draft).
     *
     * @return the settings, never null
     */
    public TorrinProtocolProperties.Resumable getResumable() {
        return resumable;
    }

    /**
     * Returns the {@code metrics} settings.
     *
     * @return the settings, never null
     */
    public TorrinOperationsProperties.Metrics getMetrics() {
        return metrics;
    }

    /**
     * Returns the {@code health} settings.
     *
     * @return the settings, never null
     */
    public TorrinOperationsProperties.Health getHealth() {
        return health;
    }

    /**
     * Returns the {@code events} settings.
     *
     * @return the settings, never null
     */
    public TorrinOperationsProperties.Events getEvents() {
        return events;
    }

    /**
     * Returns the {@code shutdown} settings.
     *
     * @return the settings, never null
     */
    public TorrinOperationsProperties.Shutdown getShutdown() {
        return shutdown;
    }
}
