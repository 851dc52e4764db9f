/**
 * The lock algorithm, written once above the backend SPI. Not API: may change in any release.
 */
package io.brickworks.cache.lock.internal;
