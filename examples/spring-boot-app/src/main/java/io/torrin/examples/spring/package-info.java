/** The example Spring Boot application: the Torrin starter plus a browser upload page. */
package io.torrin.examples.spring;
