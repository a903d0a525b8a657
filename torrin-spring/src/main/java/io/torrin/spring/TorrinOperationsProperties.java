/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The operations settings under {@code torrin.metrics}, {@code torrin.health}, {@code torrin.events} and
 * {@code torrin.shutdown}: one holder for the four groups, each a nested class bound by {@link TorrinProperties}.
 */
public final class TorrinOperationsProperties {

    private TorrinOperationsProperties() {}

    /** {@code torrin.metrics}: Micrometer meters and observations (with Micrometer and {@code torrin-micrometer}). */
    public static class Metrics {

        /** Whether to instrument the upload service when a MeterRegistry bean exists. */
        private boolean enabled = true;

        /**
         * Returns whether metrics are on.
         *
         * @return {@code true} by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether metrics are on.
         *
         * @param enabled the flag
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code torrin.health}: the {@code torrin} health group of Actuator (storage and store). */
    public static class Health {

        /** Whether the group reports the storage driver. */
        private boolean storageEnabled = true;

        /** Whether the group reports the session store. */
        private boolean storeEnabled = true;

        /** Free space of the local storage directory below which the storage is reported DOWN. */
        private DataSize minFreeSpace = DataSize.ofMegabytes(100);

        /**
         * Returns whether the storage is reported.
         *
         * @return {@code true} by default
         */
        public boolean isStorageEnabled() {
            return storageEnabled;
        }

        /**
         * Sets whether the storage is reported.
         *
         * @param enabled the flag
         */
        public void setStorageEnabled(boolean enabled) {
            this.storageEnabled = enabled;
        }

        /**
         * Returns whether the store is reported.
         *
         * @return {@code true} by default
         */
        public boolean isStoreEnabled() {
            return storeEnabled;
        }

        /**
         * Sets whether the store is reported.
         *
         * @param enabled the flag
         */
        public void setStoreEnabled(boolean enabled) {
            this.storeEnabled = enabled;
        }

        /**
         * Returns the free-space threshold of the local storage.
         *
         * @return 100 MB by default
         */
        public DataSize getMinFreeSpace() {
            return minFreeSpace;
        }

        /**
         * Sets the free-space threshold of the local storage.
         *
         * @param minFreeSpace the threshold, not null
         */
        public void setMinFreeSpace(DataSize minFreeSpace) {
            this.minFreeSpace = minFreeSpace;
        }
    }

    /** {@code torrin.events}: upload events as Spring application events. */
    public static class Events {

        /** Whether every upload event is published as a TorrinUploadEvent application event. */
        private boolean applicationEvents = true;

        /** The least time between two PROGRESS events of one upload; 0 for none. */
        private Duration progressInterval = Duration.ofSeconds(1);

        /**
         * Returns whether application events are published.
         *
         * @return {@code true} by default
         */
        public boolean isApplicationEvents() {
            return applicationEvents;
        }

        /**
         * Sets whether application events are published.
         *
         * @param applicationEvents the flag
         */
        public void setApplicationEvents(boolean applicationEvents) {
            this.applicationEvents = applicationEvents;
        }

        /**
         * Returns the progress interval.
         *
         * @return one second by default
         */
        public Duration getProgressInterval() {
            return progressInterval;
        }

        /**
         * Sets the progress interval.
         *
         * @param progressInterval the interval, zero for no progress events
         */
        public void setProgressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
        }
    }

    /** {@code torrin.shutdown}: the graceful stop of the upload service with the application. */
    public static class Shutdown {

        /** The longest wait for running upload requests when the application stops. */
        private Duration gracePeriod = Duration.ofSeconds(10);

        /**
         * Returns the grace period.
         *
         * @return ten seconds by default
         */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /**
         * Sets the grace period.
         *
         * @param gracePeriod the period, not negative
         */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }
}
