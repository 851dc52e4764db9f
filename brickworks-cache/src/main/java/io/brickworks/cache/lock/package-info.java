/**
 * Distributed locks: {@link io.brickworks.cache.lock.LockHandle} (owner-checked release and extend,
 * fencing token), {@link io.brickworks.cache.lock.LockOptions} and
 * {@link io.brickworks.cache.lock.LockResult} of {@code BrickworksCache.withLock}. The lock methods
 * themselves are on {@link io.brickworks.cache.BrickworksCache}; their guarantees and limits are in
 * {@code docs/locks.md}.
 */
package io.brickworks.cache.lock;
