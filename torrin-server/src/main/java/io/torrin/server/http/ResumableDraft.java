/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.http;

import java.util.Optional;

/**
 * The revisions of the IETF draft "Resumable Uploads for HTTP" ({@code draft-ietf-httpbis-resumable-upload}) that
 * {@link ResumableProtocolHandler} speaks, told apart by the {@code Upload-Draft-Interop-Version} request header
 * each revision defines. A request without that header is served as {@link #LATEST}, the way a client of the
 * finished standard (which drops the header) will talk.
 *
 * <p>What differs, as the handler applies it: {@code Content-Type: application/partial-upload} is required on
 * appends from interop version 6 on; {@code Upload-Length} and {@code Upload-Limit} exist from 6 on (the latest adds
 * {@code max-age}); 5 and 6 refuse {@code Upload-*} fields on offset
 * retrieval and cancellation, answer an append with 201 and define the {@code completed-upload} problem
 * type (6); the latest answers appends with 204 and {@code Upload-Complete}, and defines the
 * {@code inconsistent-upload-length} problem type. See {@code docs/ietf-resumable-uploads.md}.
 */
public enum ResumableDraft {

    /** Revision -03: interop version 5 (tus-js-client's {@code protocol: 'ietf-draft-03'}). */
    DRAFT_03(5, "draft-ietf-httpbis-resumable-upload-03"),
    /** Revisions -04 and -05: interop version 6 (tus-js-client's {@code protocol: 'ietf-draft-05'}). */
    DRAFT_05(6, "draft-ietf-httpbis-resumable-upload-05"),
    /**
     * The latest revision: interop version 9, defined by -12 and not changed since as far as the revisions' change
     * logs tell (-13 to -15); see the deviations in {@code docs/ietf-resumable-uploads.md}.
     */
    LATEST(9, "draft-ietf-httpbis-resumable-upload-15");

    private final int interopVersion;
    private final String document;

    ResumableDraft(int interopVersion, String document) {
        this.interopVersion = interopVersion;
        this.document = document;
    }

    /**
     * The value of {@code Upload-Draft-Interop-Version} that selects this revision.
     *
     * @return the interop version
     */
    public int interopVersion() {
        return interopVersion;
    }

    /**
     * The name of the draft document.
     *
     * @return for example {@code draft-ietf-httpbis-resumable-upload-05}
     */
    public String document() {
        return document;
    }

    /**
     * The revision an interop version selects.
     *
     * @param interopVersion the header's value
     * @return the revision, or empty if this server speaks no revision with that number
     */
    public static Optional<ResumableDraft> ofInteropVersion(long interopVersion) {
        for (ResumableDraft draft : values()) {
            if (draft.interopVersion == interopVersion) {
                return Optional.of(draft);
            }
        }
        return Optional.empty();
    }

    /** Whether an append must carry {@code Content-Type: application/partial-upload}. */
    boolean requiresPartialUploadType() {
        return this != DRAFT_03;
    }

    /** Whether the revision defines {@code Upload-Length} and {@code Upload-Limit}. */
    boolean hasLengthAndLimits() {
        return this != DRAFT_03;
    }

    /**
     * Whether offset retrieval and cancellation refuse {@code Upload-Offset}, {@code Upload-Complete} (and, from 6,
     * {@code Upload-Length}) in the request with 400, as -03 and -05 require.
     */
    boolean refusesUploadFieldsOnHeadAndDelete() {
        return this != LATEST;
    }

    /** The status of a successful append: 201 in -03 and -05 (their recommendation), 204 later. */
    int appendStatus() {
        return this == LATEST ? 204 : 201;
    }
}
