/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.testkit.faults;

/** The kinds of fault a {@link FaultInjector} rule injects. */
public enum Fault {
    /** Answer with a status (and {@code Retry-After}) without passing the request on. */
    FAIL,
    /** Wait a random time within a range, then pass the request on. */
    DELAY,
    /** Break the connection without reading the request body or passing the request on. */
    DROP_BEFORE_BODY,
    /** Pass the request on (the server handles it in full), then break the connection instead of answering. */
    DROP_AFTER_BODY,
    /** Pass the request on with a body that breaks off (an I/O error) after some of its bytes. */
    CUT_BODY,
    /** Pass the request on with one byte of its body changed. */
    CORRUPT_BODY
}
