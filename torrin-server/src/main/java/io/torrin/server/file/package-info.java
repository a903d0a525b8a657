/** The durable embedded file store: the default store, which survives a process kill and needs no server. */
package io.torrin.server.file;
