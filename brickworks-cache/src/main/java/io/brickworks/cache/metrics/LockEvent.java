package io.brickworks.cache.metrics;

/**
 * What happened to a lock of this instance. {@code attemptDistributedLock} and
 * {@code releaseDistributedLock} report {@link #ACQUIRED}, {@link #NOT_ACQUIRED} and (when the
 * release deleted the lock) {@link #RELEASED}; lock handles ({@code tryLock}, {@code lock},
 * {@code withLock}) report every event, and each handle ends with exactly one of {@link #RELEASED}
 * or {@link #LOST}.
 */
public enum LockEvent {
    /** The lock was taken. */
    ACQUIRED,
    /** The lock was held by someone else (after waiting, for {@code lock} and {@code withLock}). */
    NOT_ACQUIRED,
    /** The lock was given back while still held by this owner. */
    RELEASED,
    /** The handle's lock was found expired or taken by another owner (by a renewal or the release). */
    LOST,
    /** A handle's lock was extended (by {@code extend} or by {@code withLock}'s renewal). */
    RENEWED
}
