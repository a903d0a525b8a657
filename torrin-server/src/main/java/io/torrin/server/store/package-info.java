/**
 * The session-state SPI ({@link io.torrin.server.store.UploadStore} and its per-upload
 * {@link io.torrin.server.store.UploadLocks}) and the two stores that need no external server: in-memory and
 * the durable embedded file store.
 */
package io.torrin.server.store;
