/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

/** The command's exit codes (documented in docs/client.md). */
public final class ExitCode {

    /** Every file was uploaded (or the status or abort succeeded). */
    public static final int OK = 0;
    /** At least one file failed: the server refused it, or it could not be read. */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The server could not be reached (connection refused, timeouts) within the retry policy. */
    public static final int UNREACHABLE = 3;

    private ExitCode() {}
}
