/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code torrin} command: {@code torrin upload}, {@code torrin status}, {@code torrin abort}. Run
 * {@code java -jar torrin-cli.jar --help}.
 */
@Command(
        name = "torrin",
        mixinStandardHelpOptions = true,
        versionProvider = TorrinCli.Version.class,
        description = "Uploads files to a Torrin server: parallel chunks, each checked by SHA-256, resumed after a"
                + " failure or a restart.",
        subcommands = {UploadCommand.class, StatusCommand.class, AbortCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file uploaded (status, abort: done)",
            "1:at least one file failed (refused by the server, or unreadable)",
            "2:usage error",
            "3:the server could not be reached"
        })
public final class TorrinCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command without exiting (for tests and embedding).
     *
     * @param args the command line
     * @param out where results go
     * @param err where errors and usage go
     * @return the exit code, see {@link ExitCode}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine command = new CommandLine(new TorrinCli());
        command.setOut(out);
        command.setErr(err);
        // a mistake the command finds itself (no server, a missing file) is a usage error like a parse error
        command.setExitCodeExceptionMapper(
                e -> e instanceof CommandLine.ParameterException ? ExitCode.USAGE : ExitCode.FAILED);
        return command.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: upload, status or abort");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TorrinCli.class.getPackage().getImplementationVersion();
            return new String[] {"torrin " + (version == null ? "(development build)" : version)};
        }
    }
}
