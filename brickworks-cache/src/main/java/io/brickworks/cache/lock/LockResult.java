package io.brickworks.cache.lock;

import io.brickworks.cache.BrickworksCache;
import java.util.Optional;

/**
 * The outcome of {@link BrickworksCache#withLock}: whether the work ran, its value, and whether the
 * lock was held for the whole time the work ran.
 *
 * @param <T> the type of the work's value
 */
public final class LockResult<T> {

    /** What happened to the lock and the work. */
    public enum Status {
        /** The lock was held by another owner (until the wait ran out, if any): the work did not run. */
        NOT_ACQUIRED,
        /** The work ran and the lock was held, renewed as needed, until the work ended. */
        COMPLETED,
        /**
         * The work ran but the lock was lost while it ran: a renewal found another owner or no lock,
         * a renewal could not reach the store, the cache was closed, or the release at the end found
         * the lock no longer held. Another holder may have run at the same time; only a fencing token
         * checked downstream protects the work's effects.
         */
        LOST
    }

    private static final LockResult<?> NOT_ACQUIRED = new LockResult<>(Status.NOT_ACQUIRED, null, -1, null);

    private final Status status;
    private final T value;
    private final long fencingToken;
    private final Throwable lossCause;

    private LockResult(Status status, T value, long fencingToken, Throwable lossCause) {
        this.status = status;
        this.value = value;
        this.fencingToken = fencingToken;
        this.lossCause = lossCause;
    }

    /** The result of work that did not run because the lock was held by another owner. */
    @SuppressWarnings("unchecked")
    public static <T> LockResult<T> notAcquired() {
        return (LockResult<T>) NOT_ACQUIRED;
    }

    /** The result of work that ran with the lock held throughout. */
    public static <T> LockResult<T> completed(T value, long fencingToken) {
        return new LockResult<>(Status.COMPLETED, value, fencingToken, null);
    }

    /**
     * The result of work that ran but lost the lock while running.
     *
     * @param cause the store error that made the loss known, or {@code null} when the store showed
     *     the lock gone or held by another owner
     */
    public static <T> LockResult<T> lost(T value, long fencingToken, Throwable cause) {
        return new LockResult<>(Status.LOST, value, fencingToken, cause);
    }

    public Status status() {
        return status;
    }

    /** Whether the lock was acquired and the work ran ({@link Status#COMPLETED} or {@link Status#LOST}). */
    public boolean acquired() {
        return status != Status.NOT_ACQUIRED;
    }

    /** Whether the lock was lost while the work ran. */
    public boolean lost() {
        return status == Status.LOST;
    }

    /** The work's value; {@code null} when the work did not run (or returned {@code null}). */
    public T value() {
        return value;
    }

    /** The fencing token the work ran with, or {@code -1} when it did not run. */
    public long fencingToken() {
        return fencingToken;
    }

    /** The store error that made a loss known, if the lock was lost because the store could not be reached. */
    public Optional<Throwable> lossCause() {
        return Optional.ofNullable(lossCause);
    }

    @Override
    public String toString() {
        return "LockResult{" + status + (acquired() ? ", token=" + fencingToken + ", value=" + value : "")
                + (lossCause != null ? ", cause=" + lossCause : "") + "}";
    }
}
