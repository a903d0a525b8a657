/** The in-memory reference implementations of both SPIs, for tests and single-process development. */
package io.torrin.server.memory;
