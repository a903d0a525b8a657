/** Implementation details of the engine; not an API, may change without notice. */
package io.torrin.server.internal;
