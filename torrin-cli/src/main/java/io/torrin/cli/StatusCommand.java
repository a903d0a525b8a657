/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.torrin.client.RemoteStatus;
import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.TorrinTransportException;
import io.torrin.core.TorrinException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code torrin status URL|ID}: what the server has of an upload. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows an upload's status on the server.")
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Option(names = "--json", description = "print the status as JSON")
    boolean json;

    @Parameters(index = "0", paramLabel = "URL|ID", description = "the upload's URL, or its id with --server")
    String reference;

    @Override
    public Integer call() {
        UploadReference upload = UploadReference.parse(spec, reference, server.server);
        PrintWriter out = spec.commandLine().getOut();
        try (TorrinClient client =
                server.client(spec, upload.endpoint(), ResumeStore.inMemory()).build()) {
            RemoteStatus status = client.status(upload.uploadId());
            if (json) {
                ObjectNode node = new ObjectMapper()
                        .createObjectNode()
                        .put("uploadId", status.uploadId())
                        .put("status", status.status())
                        .put("fileName", status.fileName())
                        .put("fileSize", status.fileSize())
                        .put("chunkSize", status.chunkSize())
                        .put("totalChunks", status.totalChunks())
                        .put(
                                "expiresAt",
                                status.expiresAt() == null
                                        ? null
                                        : status.expiresAt().toString());
                status.receivedChunks().forEach(node.putArray("receivedChunks")::add);
                status.missingChunks().forEach(node.putArray("missingChunks")::add);
                out.println(node);
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s: %s, %s of %s in %d of %d chunks%s%n",
                        status.uploadId(),
                        status.status(),
                        Sizes.format(Math.min(
                                status.fileSize(), status.receivedChunks().size() * status.chunkSize())),
                        Sizes.format(status.fileSize()),
                        status.receivedChunks().size(),
                        status.totalChunks(),
                        status.expiresAt() == null ? "" : ", expires " + status.expiresAt());
            }
            out.flush();
            return ExitCode.OK;
        } catch (TorrinException e) {
            return error(e);
        } catch (TorrinTransportException e) {
            spec.commandLine().getErr().println("torrin: " + UploadCommand.describe(e));
            return ExitCode.UNREACHABLE;
        }
    }

    private int error(TorrinException e) {
        spec.commandLine().getErr().println("torrin: " + UploadCommand.describe(e));
        return ExitCode.FAILED;
    }
}
