/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import org.springframework.util.unit.DataSize;

/** The settings of the protocols served beside the Torrin protocol on the same engine. */
public final class TorrinProtocolProperties {

    private TorrinProtocolProperties() {}

    /** The tus 1.0 protocol, served beside the Torrin protocol on the same uploads engine. */
    public static class Tus {

        /** Whether to serve tus. */
        private boolean enabled = true;

        /** The path tus is served under (its creation URL), relative to the context path. */
        private String path = "/torrin/tus";

        /** Longest Upload-Metadata header accepted; longer ones are answered with 400. */
        private DataSize maxMetadataSize = DataSize.ofKilobytes(4);

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
         * Returns {@code path}: The path tus is served under (its creation URL), relative to the context path.
         *
         * @return the value
         */
        public String getPath() {
            return path;
        }

        /**
         * Sets {@code path}: The path tus is served under (its creation URL), relative to the context path.
         *
         * @param path the new value
         */
        public void setPath(String path) {
            this.path = path;
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
    }
}
