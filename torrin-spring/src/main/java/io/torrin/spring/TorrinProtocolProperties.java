/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.server.http.DownloadOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    /**
     * The IETF draft "Resumable Uploads for HTTP" (interop versions 5, 6 and 9; see docs/ietf-resumable-uploads.md),
     * served beside the Torrin protocol and tus on the same uploads engine.
     */
    public static class Resumable {

        /** Whether to serve the resumable-upload draft. */
        private boolean enabled = true;

        /** The path the draft is served under (its creation URL), relative to the context path. */
        private String path = "/torrin/resumable";

        /**
         * Returns {@code enabled}: Whether to serve the resumable-upload draft.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code enabled}: Whether to serve the resumable-upload draft.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns {@code path}: The path the draft is served under (its creation URL), relative to the context path.
         *
         * @return the value
         */
        public String getPath() {
            return path;
        }

        /**
         * Sets {@code path}: The path the draft is served under (its creation URL), relative to the context path.
         *
         * @param path the new value
         */
        public void setPath(String path) {
            this.path = path;
        }
    }

    /**
     * Downloads of completed uploads: {@code GET {base-path}/{id}/content} on the Torrin protocol and {@code GET} of
     * a tus upload URL (see docs/downloads.md). Off by default; who may download what is decided by an
     * {@code UploadHooks#beforeDownload} bean.
     */
    public static class Downloads {

        /** Whether completed uploads can be downloaded. */
        private boolean enabled = false;

        /** The Cache-Control value of download responses. */
        private String cacheControl = "private, no-cache";

        /** Media types sent with Content-Disposition inline instead of attachment (never text/html or SVG). */
        private List<String> inlineTypes = new ArrayList<>();

        /**
         * With S3 storage, redirect downloads to presigned GET URLs valid this long instead of streaming them; unset
         * streams every download through the application.
         */
        private Duration directUrlValidity;

        /**
         * Returns {@code enabled}: Whether completed uploads can be downloaded.
         *
         * @return the value
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code enabled}: Whether completed uploads can be downloaded.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns {@code cacheControl}: The Cache-Control value of download responses.
         *
         * @return the value
         */
        public String getCacheControl() {
            return cacheControl;
        }

        /**
         * Sets {@code cacheControl}: The Cache-Control value of download responses.
         *
         * @param cacheControl the new value
         */
        public void setCacheControl(String cacheControl) {
            this.cacheControl = cacheControl;
        }

        /**
         * Returns {@code inlineTypes}: Media types sent with Content-Disposition inline instead of attachment.
         *
         * @return the value
         */
        public List<String> getInlineTypes() {
            return inlineTypes;
        }

        /**
         * Sets {@code inlineTypes}: Media types sent with Content-Disposition inline instead of attachment.
         *
         * @param inlineTypes the new value
         */
        public void setInlineTypes(List<String> inlineTypes) {
            this.inlineTypes = inlineTypes;
        }

        /**
         * Returns {@code directUrlValidity}: With S3 storage, how long the presigned GET URLs downloads are
         * redirected to stay valid; null streams downloads through the application.
         *
         * @return the value, or null
         */
        public Duration getDirectUrlValidity() {
            return directUrlValidity;
        }

        /**
         * Sets {@code directUrlValidity}: With S3 storage, how long the presigned GET URLs downloads are redirected
         * to stay valid; null streams downloads through the application.
         *
         * @param directUrlValidity the new value, or null
         */
        public void setDirectUrlValidity(Duration directUrlValidity) {
            this.directUrlValidity = directUrlValidity;
        }

        /**
         * Returns the handler options these settings describe.
         *
         * @return the options
         */
        DownloadOptions toOptions() {
            DownloadOptions.Builder options =
                    DownloadOptions.builder().cacheControl(cacheControl).inlineTypes(Set.copyOf(inlineTypes));
            if (directUrlValidity != null) {
                options.directUrlValidity(directUrlValidity);
            }
            return options.build();
        }
    }
}
