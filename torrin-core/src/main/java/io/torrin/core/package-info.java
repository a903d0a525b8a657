/**
 * Torrin's value types, error codes and protocol constants, shared by the engine, every storage and
 * store backend, and the HTTP adapters; this package has no dependencies.
 */
package io.torrin.core;
