/** A command-line demo of Torrin's direct Java API: a generated file uploaded in parallel chunks. */
package io.torrin.examples.direct;
