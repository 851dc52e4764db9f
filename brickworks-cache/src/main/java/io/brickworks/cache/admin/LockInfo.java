package io.brickworks.cache.admin;

import java.time.Duration;

/**
 * A lock held now.
 *
 * @param tenant the tenant of the lock
 * @param name the lock's name
 * @param owner the owner token stored in the lock ({@code "1"} for a lock taken by the Python original)
 * @param ownedHere whether the owner is this cache instance (its {@code attemptDistributedLock} or one of its handles)
 * @param timeLeft how long until the lock expires, or {@code null} when it has no expiry
 * @param lastFencingToken the last fencing token drawn for the lock's name, or {@code null} when
 *     there is none (a lock taken by {@code attemptDistributedLock} or the original draws none)
 */
public record LockInfo(String tenant, String name, String owner, boolean ownedHere, Duration timeLeft,
                       Long lastFencingToken) {
}
