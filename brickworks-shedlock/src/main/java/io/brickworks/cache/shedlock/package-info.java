/**
 * {@link io.brickworks.cache.shedlock.BrickworksLockProvider}: ShedLock's {@code LockProvider} on this
 * library's locks (the original's lock key, owner-checked unlock and extend, {@code lockAtLeastFor}).
 */
package io.brickworks.cache.shedlock;
