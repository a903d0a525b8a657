/** A minimal headless-Chromium driver over the Chrome DevTools Protocol, for end-to-end tests of upload pages. */
package io.torrin.testsupport.browser;
