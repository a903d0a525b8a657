/** An UploadStore and cross-instance lease locks on Redis. */
package io.torrin.store.redis;
