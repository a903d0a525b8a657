/** Storage drivers that ship with the engine: the in-memory reference driver. */
package io.torrin.server.storage;
