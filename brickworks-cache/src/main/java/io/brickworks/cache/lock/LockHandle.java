package io.brickworks.cache.lock;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed lock held by this handle, from {@link BrickworksCache#tryLock}, {@link BrickworksCache#lock}
 * or given to the work of {@link BrickworksCache#withLock}.
 *
 * <p><b>Ownership by token, not thread.</b> Each handle has its own random owner token, stored as the
 * lock's value. Only this handle can extend or release the lock, and it can do so from any thread or
 * async continuation. Two handles of the same cache instance are two different owners.
 *
 * <p><b>Expiry.</b> The lock disappears when its TTL runs out unless {@link #extend extended}; after
 * that another owner may take it, and this handle's {@link #extend} and {@link #release} do nothing
 * and return {@code false}. A handle does not renew itself: use {@link BrickworksCache#withLock} for
 * work that may outlive the TTL.
 *
 * <p><b>Fencing.</b> {@link #fencingToken()} strictly increases for each new holder of the same lock
 * (same name and tenant), drawn atomically with the acquisition. Pass it to a downstream store with
 * each write and have the store refuse a token lower than one it has already seen: a holder that
 * was paused past its TTL then cannot overwrite the work of the holder that came after it.
 *
 * <p>Handles are thread-safe.
 */
public interface LockHandle extends AutoCloseable {

    /** The lock's name. */
    String name();

    /** The tenant whose lock this is (the master tenant's name for a lock shared by all tenants). */
    String tenant();

    /**
     * The fencing token of this holding: positive, and greater than the token of every earlier holder
     * of this lock. Tokens are {@code max(previous + 1, the store's clock in microseconds since the
     * epoch)}, so they keep increasing when the store loses its counter or a replica that missed
     * acquisitions is promoted, as long as the clocks of the servers involved are within the bound
     * stated in {@code docs/locks.md} (<i>Fencing across restarts and failover</i>).
     */
    long fencingToken();

    /**
     * Asks the store whether this handle still holds the lock (its owner token is the lock's value).
     * The answer may be stale by the time it arrives; it is a check, not a guarantee.
     *
     * @return a future of whether the lock is held by this handle; fails with {@link CacheBackendException}
     *     if the store cannot answer
     */
    CompletableFuture<Boolean> isHeld();

    /**
     * Sets the lock's remaining time to {@code ttl} from now, only if this handle still holds it
     * (atomic compare-and-expire). It may shorten or lengthen the lock.
     *
     * @return a future of whether the lock was extended: {@code false} if it expired, was taken by
     *     another owner, or was released by this handle
     * @throws IllegalArgumentException if {@code ttl} is null or shorter than 1 ms
     */
    CompletableFuture<Boolean> extend(Duration ttl);

    /**
     * Releases the lock if this handle still holds it (atomic compare-and-delete); a lock that has
     * expired and been taken by another owner is left in place. Only the first call does anything.
     *
     * @return a future of whether this call released a lock held by this handle; fails with
     *     {@link CacheBackendException} if the store cannot be reached (the lock then expires by its TTL)
     */
    CompletableFuture<Boolean> release();

    /**
     * {@link #release()}, waiting for it to finish, for try-with-resources. Idempotent. Do not call it
     * on a backend I/O thread (inside a continuation of a cache future); use {@link #release()} there.
     *
     * @throws CacheBackendException if the store cannot be reached (the lock then expires by its TTL)
     */
    @Override
    void close();
}
