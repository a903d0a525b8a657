/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.examples.direct;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;
import io.torrin.core.AppendRequest;
import io.torrin.core.AppendStatus;
import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.micrometer.TorrinMetrics;
import io.torrin.server.AppendUploads;
import io.torrin.server.Download;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.DownloadOptions;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.spi.UploadStore;
import io.torrin.storage.local.Durability;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.storage.local.NamingStrategy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The code shown in README.md and docs/, compiled and executed by {@link DocumentationSnippetsTest}. Each
 * {@code // snippet:NAME} region appears verbatim in a document under {@code <!-- snippet: NAME -->}.
 */
final class DocSnippets {

    private DocSnippets() {}

    static UploadService configuredService(Path dir) {
        // snippet:service-builder
        UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.builder(dir)
                        .naming(NamingStrategy.byOriginalName()) // <uploadId>/<sanitized name>
                        .durability(Durability.FSYNC_ON_COMPLETE) // default: FSYNC_EACH_CHUNK
                        .build())
                .store(FileUploadStore.create(dir.resolve(".torrin")))
                .defaultChunkSize(8 * 1024 * 1024) // default 1 MiB
                .chunkSizeLimits(256 * 1024, 100 * 1024 * 1024) // the defaults
                .maxFileSize(50L * 1024 * 1024 * 1024) // default: unlimited
                .maxMetadataBytes(16 * 1024) // the default
                .uploadTtl(Duration.ofHours(24)) // extended by every accepted chunk
                .finishedRetention(Duration.ofHours(24)) // how long completed/canceled ids answer
                .lockTimeout(Duration.ofSeconds(10)) // bounded waits, then UPLOAD_LOCKED
                .sweepInterval(Duration.ofMinutes(1)) // Duration.ZERO: call sweepExpired() yourself
                .listener(event ->
                        System.out.println(event.type() + " " + event.session().uploadId()))
                .build();
        // end:service-builder
        return service;
    }

    static UploadHooks ownerOnlyHooks() {
        // snippet:hooks
        UploadHooks ownerOnly = new UploadHooks() {
            @Override
            public InitUploadRequest beforeInit(InitUploadRequest request, RequestContext context) {
                String caller = context.principal()
                        .map(Principal::getName)
                        .orElseThrow(() -> new TorrinException(ErrorCode.UNAUTHORIZED, "log in first"));
                return request.toBuilder().putMetadata("owner", caller).build(); // rewrite metadata
            }

            @Override
            public void beforeChunk(UploadSession session, int index, RequestContext context) {
                requireOwner(session, context);
            }

            @Override
            public void beforeComplete(UploadSession session, RequestContext context) {
                requireOwner(session, context);
            }

            private void requireOwner(UploadSession session, RequestContext context) {
                String caller = context.principal().map(Principal::getName).orElse(null);
                if (!Objects.equals(session.metadata().get("owner"), caller)) {
                    throw new TorrinException(ErrorCode.FORBIDDEN, "not your upload");
                }
            }
        };
        // end:hooks
        return ownerOnly;
    }

    static void sendChunk(UploadService service, String uploadId, int index, long size, InputStream body) {
        // snippet:errors
        try {
            service.handleChunk(ChunkRequest.of(uploadId, index, size, body));
        } catch (TorrinException e) {
            switch (e.code()) {
                case UPLOAD_LOCKED, STORAGE_ERROR -> {
                    /* retryable: e.isRetryable() */
                }
                case CHUNK_SIZE_MISMATCH, CHUNK_HASH_MISMATCH -> {
                    /* not recorded: send the chunk again */
                }
                default -> throw e; // e.statusCode() and e.details() carry the rest
            }
        }
        // end:errors
    }

    static UploadStore openStore(Path dir) {
        // snippet:file-store
        UploadStore store = FileUploadStore.builder(dir.resolve(".torrin"))
                .fsync(true) // default: every mark is forced to disk before it returns
                .build(); // holds an OS lock on the directory until close()
        // end:file-store
        return store;
    }

    static AppendStatus appendUpload(UploadService service, byte[] bytes) {
        // snippet:append-upload
        AppendUploads appends = service.appends(); // needs a driver that implements AppendableStorage
        InitUploadRequest request =
                InitUploadRequest.builder().fileName("log.bin").build(); // size may come later
        AppendStatus created = appends.initUpload(request, Map.of(), RequestContext.none());
        AppendRequest append = AppendRequest.of(created.uploadId(), 0, bytes.length, new ByteArrayInputStream(bytes))
                .withDeclaredFileSize(bytes.length);
        AppendStatus now = appends.append(append, RequestContext.none()); // completed: the offset reached the size
        // end:append-upload
        return now;
    }

    static UploadService instrumentedService(Path dir, MeterRegistry meterRegistry) {
        // snippet:micrometer-wiring
        UploadService service = UploadService.builder()
                .storage(LocalStorageDriver.create(dir))
                .store(FileUploadStore.create(dir.resolve(".torrin")))
                .instrumentation(TorrinMetrics.builder(meterRegistry) // torrin-micrometer
                        .observationRegistry(ObservationRegistry.NOOP) // yours, for a span per request
                        .tags(Tags.of("service", "avatars")) // optional tags on every meter
                        .build())
                .build();
        // end:micrometer-wiring
        return service;
    }

    static UploadHooks completionFields() {
        // snippet:completion-fields
        UploadHooks fileUrl = new UploadHooks() {
            @Override
            public Map<String, String> afterComplete(CompleteResult result, RequestContext context) {
                // Torrin: a "fileUrl" property of the completion JSON; tus: a "fileUrl" header on the last PATCH
                return Map.of("fileUrl", "/files/" + result.uploadId());
            }
        };
        // end:completion-fields
        return fileUrl;
    }

    static boolean stop(UploadService service) {
        // snippet:graceful-shutdown
        boolean idle = service.shutdown(Duration.ofSeconds(10)); // new requests: 503, retryable; bodies ended
        service.close(); // then release the threads; the storage and store stay yours to close
        // end:graceful-shutdown
        return idle;
    }

    static UploadHooks ownerDownloads() {
        // snippet:download-hook
        UploadHooks ownerReads = new UploadHooks() {
            @Override
            public void beforeDownload(UploadSession session, RequestContext context) {
                String caller = context.principal().map(Principal::getName).orElse(null);
                if (!Objects.equals(session.metadata().get("owner"), caller)) {
                    throw new TorrinException(ErrorCode.UPLOAD_NOT_FOUND, "upload not found"); // hides it
                }
            }
        };
        // end:download-hook
        return ownerReads;
    }

    static TorrinProtocolHandler downloadingHandler(UploadService service) {
        // snippet:download-handler
        TorrinProtocolHandler handler = TorrinProtocolHandler.builder(service)
                .downloads(DownloadOptions.builder() // GET|HEAD {base}/{id}/content; off without this
                        .cacheControl("private, max-age=3600") // default: private, no-cache
                        .inlineTypes(Set.of("image/png", "application/pdf")) // default: all are attachments
                        .build())
                .build();
        // end:download-handler
        return handler;
    }

    static Download readBack(UploadService service, String uploadId, Path target) throws IOException {
        // snippet:read-back
        Download download = service.downloads().open(uploadId, RequestContext.none()); // runs beforeDownload
        try (InputStream in = download.open()) { // open(offset, length) reads a range
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        // end:read-back
        return download;
    }

    static boolean isTerminal(UploadEvent event) {
        return event.type() == UploadEvent.Type.COMPLETED
                || event.type() == UploadEvent.Type.ABORTED
                || event.type() == UploadEvent.Type.EXPIRED;
    }
}
