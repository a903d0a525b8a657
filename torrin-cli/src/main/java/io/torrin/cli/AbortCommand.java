/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import io.torrin.client.ResumeStore;
import io.torrin.client.TorrinClient;
import io.torrin.client.TorrinTransportException;
import io.torrin.core.TorrinException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code torrin abort URL|ID...}: aborts uploads on the server. */
@Command(
        name = "abort",
        mixinStandardHelpOptions = true,
        description = "Aborts uploads; the server discards their chunks.")
final class AbortCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(arity = "1..*", paramLabel = "URL|ID", description = "uploads' URLs, or their ids with --server")
    List<String> references;

    @Override
    public Integer call() {
        int code = ExitCode.OK;
        for (String reference : references) {
            UploadReference upload = UploadReference.parse(spec, reference, server.server);
            try (TorrinClient client = server.client(spec, upload.endpoint(), ResumeStore.inMemory())
                    .build()) {
                client.abort(upload.uploadId());
                spec.commandLine().getOut().println("aborted  " + upload.uploadId());
            } catch (TorrinException e) {
                spec.commandLine().getErr().println("torrin: " + upload.uploadId() + ": " + UploadCommand.describe(e));
                code = Math.max(code, ExitCode.FAILED);
            } catch (TorrinTransportException e) {
                spec.commandLine().getErr().println("torrin: " + UploadCommand.describe(e));
                code = ExitCode.UNREACHABLE;
            }
        }
        spec.commandLine().getOut().flush();
        return code;
    }
}
