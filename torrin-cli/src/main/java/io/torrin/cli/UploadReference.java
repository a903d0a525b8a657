/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import java.net.URI;
import picocli.CommandLine;

/**
 * An upload named on the command line: its URL ({@code http://host/torrin/uploads/<id>}, the server's
 * {@code Location}) or its id with {@code --server}.
 *
 * @param endpoint the server's mount URL
 * @param uploadId the upload id
 */
record UploadReference(URI endpoint, String uploadId) {

    static UploadReference parse(CommandLine.Model.CommandSpec spec, String reference, URI server) {
        if (reference.startsWith("http://") || reference.startsWith("https://")) {
            String text = reference.endsWith("/") ? reference.substring(0, reference.length() - 1) : reference;
            int slash = text.lastIndexOf('/');
            return new UploadReference(URI.create(text.substring(0, slash)), text.substring(slash + 1));
        }
        if (server == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "give the upload's URL, or its id with --server URL");
        }
        return new UploadReference(server, reference);
    }
}
