package io.brickworks.spring.scheduling;

import io.brickworks.cache.lock.LockHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lock of the running {@link OnOneReplica} method, read with {@link #current()}.
 *
 * <p><b>Why a static accessor and not a {@code LockHandle} parameter.</b> Spring requires
 * {@code @Scheduled} methods to have no parameters, the main use of the annotation; a parameter would
 * also change the method's signature for every caller of a plain bean method. The accessor reads the
 * lock of the invocation running on the calling thread, bound for exactly the duration of that call (and
 * restored for nested {@code @OnOneReplica} calls), so it is never a process-wide current value. An async
 * method reads it before it hands work to another thread and passes it on:
 *
 * <pre>{@code
 * @OnOneReplica(name = "reindex")
 * public CompletableFuture<Void> reindex() {
 *     ReplicaLock lock = ReplicaLock.current();
 *     return search.rebuild(lock.fencingToken(), lock::isLost);
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe and may be used after the method's call returned (for an async method,
 * until its future completes).
 */
public final class ReplicaLock {

    private static final ThreadLocal<ReplicaLock> CURRENT = new ThreadLocal<>();

    private final LockHandle handle;
    private final AtomicBoolean lost;

    ReplicaLock(LockHandle handle, AtomicBoolean lost) {
        this.handle = handle;
        this.lost = lost;
    }

    /**
     * The lock of the {@link OnOneReplica} method running on this thread.
     *
     * @throws IllegalStateException if no {@code @OnOneReplica} method is running on this thread (or it
     *     runs on another thread than the one that called it)
     */
    public static ReplicaLock current() {
        ReplicaLock lock = CURRENT.get();
        if (lock == null) {
            throw new IllegalStateException("no @OnOneReplica method is running on this thread");
        }
        return lock;
    }

    /** Binds {@code lock} to this thread; returns the lock bound before, to be given to {@link #restore}. */
    static ReplicaLock bind(ReplicaLock lock) {
        ReplicaLock previous = CURRENT.get();
        CURRENT.set(lock);
        return previous;
    }

    /** Restores the binding that {@link #bind} returned. */
    static void restore(ReplicaLock previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** The lock's name, as resolved for this call. */
    public String name() {
        return handle.name();
    }

    /** The lock's tenant (the master tenant's name by default). */
    public String tenant() {
        return handle.tenant();
    }

    /**
     * The fencing token of this holding: greater than the token of every earlier holder of the lock on
     * any replica. Pass it with each write to the store the job changes, and have that store refuse a
     * token lower than one it has seen: a replica that lost the lock while paused then cannot overwrite
     * the work of the replica that came after it.
     */
    public long fencingToken() {
        return handle.fencingToken();
    }

    /**
     * Whether the lock is known to be lost: a renewal found it expired or held by another owner, or could
     * not reach the store, or the cache was closed. Once {@code true} it stays {@code true}; another
     * replica may now run the same job. It reads a local flag (no store call); {@code false} means the last
     * renewal succeeded, which is at most a third of the TTL ago.
     */
    public boolean isLost() {
        return lost.get();
    }

    /**
     * The underlying handle, to ask the store ({@link LockHandle#isHeld()}). The lock is renewed and
     * released by the annotation; do not release it yourself.
     */
    public LockHandle handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "ReplicaLock{name=" + name() + ", tenant=" + tenant() + ", token=" + fencingToken()
                + (isLost() ? ", lost" : "") + "}";
    }
}
