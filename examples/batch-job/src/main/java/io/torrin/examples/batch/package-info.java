/** A command-line batch job that uploads a directory through the direct Java API. */
package io.torrin.examples.batch;
