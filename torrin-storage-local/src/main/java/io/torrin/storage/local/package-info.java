/** A storage driver that keeps uploads as files on a local or mounted file system. */
package io.torrin.storage.local;
