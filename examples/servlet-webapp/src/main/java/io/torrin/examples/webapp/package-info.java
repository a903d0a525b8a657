/** An existing-style servlet web application on embedded Jetty that mounts Torrin with its filter. */
package io.torrin.examples.webapp;
