package io.brickworks.cache.lock;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Immutable options of {@link BrickworksCache#withLock(String, LockOptions, java.util.function.Function)}.
 * Every {@code with*} method checks its argument and returns a new instance.
 *
 * <pre>{@code
 * LockOptions options = LockOptions.of(Duration.ofSeconds(30))
 *         .withLockAtLeastFor(Duration.ofMinutes(1))   // a quick job runs once a minute, not once per replica
 *         .withMaxWait(Duration.ofSeconds(5))
 *         .withOnLost(handle -> stopRequested.set(true));
 * }</pre>
 */
public final class LockOptions {

    private final Duration ttl;
    private final Duration lockAtLeastFor;
    private final Duration renewEvery;
    private final Duration maxWait;
    private final Consumer<? super LockHandle> onLost;
    private final Executor executor;
    private final int syncedReplicas;
    private final Duration syncTimeout;

    private LockOptions(Duration ttl, Duration lockAtLeastFor, Duration renewEvery, Duration maxWait,
                        Consumer<? super LockHandle> onLost, Executor executor, int syncedReplicas,
                        Duration syncTimeout) {
        this.ttl = ttl;
        this.lockAtLeastFor = lockAtLeastFor;
        this.renewEvery = renewEvery;
        this.maxWait = maxWait;
        this.onLost = onLost;
        this.executor = executor;
        this.syncedReplicas = syncedReplicas;
        this.syncTimeout = syncTimeout;
    }

    /**
     * Options with the given TTL: the lock expires {@code ttl} after its last renewal, so a holder
     * that dies frees it within {@code ttl}. No minimum hold, renewal every third of the TTL, no
     * waiting, no callback.
     *
     * @throws IllegalArgumentException if {@code ttl} is null or shorter than 1 ms
     */
    public static LockOptions of(Duration ttl) {
        Names.checkExpire("ttl", ttl);
        return new LockOptions(ttl, Duration.ZERO, defaultRenewal(ttl), Duration.ZERO, null, null, 0, Duration.ZERO);
    }

    private static Duration defaultRenewal(Duration ttl) {
        return Duration.ofMillis(Math.max(1, ttl.toMillis() / 3));
    }

    /**
     * Keeps the lock until at least {@code minimum} after it was acquired, even when the work ends
     * sooner (ShedLock's {@code lockAtLeastFor}): the lock is then left to expire at that time instead
     * of being released, so that a short job started on every replica at once runs only once.
     * {@link Duration#ZERO} (the default) releases the lock as soon as the work ends.
     *
     * @throws IllegalArgumentException if {@code minimum} is null or negative
     */
    public LockOptions withLockAtLeastFor(Duration minimum) {
        Names.checkNotNegative("lockAtLeastFor", minimum);
        return new LockOptions(ttl, minimum, renewEvery, maxWait, onLost, executor, syncedReplicas, syncTimeout);
    }

    /**
     * How often the lock is renewed to the full TTL while the work runs; by default every third of
     * the TTL. A shorter interval survives longer pauses and slow renewals at the cost of more calls.
     *
     * @throws IllegalArgumentException if {@code interval} is null, shorter than 1 ms, or not shorter than the TTL
     */
    public LockOptions withRenewEvery(Duration interval) {
        Names.checkExpire("renewEvery", interval);
        if (interval.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("renewEvery must be shorter than the ttl (" + ttl + ") but was "
                    + interval);
        }
        return new LockOptions(ttl, lockAtLeastFor, interval, maxWait, onLost, executor, syncedReplicas, syncTimeout);
    }

    /**
     * How long to wait for the lock when another owner holds it, retrying with jittered exponential
     * backoff; {@link Duration#ZERO} (the default) tries once.
     *
     * @throws IllegalArgumentException if {@code wait} is null or negative
     */
    public LockOptions withMaxWait(Duration wait) {
        Names.checkNotNegative("maxWait", wait);
        return new LockOptions(ttl, lockAtLeastFor, renewEvery, wait, onLost, executor, syncedReplicas, syncTimeout);
    }

    /**
     * Called once, with the work's handle, as soon as the lock is known to be lost: by a renewal
     * while the work runs (so that the work can stop), or by the release when the work has ended. It
     * runs on the {@link #withExecutor executor} of these options (by default the cache's), never on
     * the renewal thread or a backend I/O thread; an exception it throws is logged and otherwise ignored.
     *
     * @throws IllegalArgumentException if {@code callback} is null
     */
    public LockOptions withOnLost(Consumer<? super LockHandle> callback) {
        Names.checkNotNull("onLost", callback);
        return new LockOptions(ttl, lockAtLeastFor, renewEvery, maxWait, callback, executor, syncedReplicas, syncTimeout);
    }

    /**
     * Where the work and the {@code onLost} callback run; by default the cache's executor (see
     * {@link BrickworksCache.Builder#executor}). Never shut down by the cache.
     *
     * @throws IllegalArgumentException if {@code executor} is null
     */
    public LockOptions withExecutor(Executor executor) {
        Names.checkNotNull("executor", executor);
        return new LockOptions(ttl, lockAtLeastFor, renewEvery, maxWait, onLost, executor, syncedReplicas, syncTimeout);
    }

    /**
     * A synced-replica lock (Redisson's name): the acquisition counts only once {@code replicas}
     * replicas of the Redis primary that holds the lock have acknowledged it (Redis {@code WAIT}
     * after the acquiring script, on a connection of its own), waiting at most {@code timeout}.
     * When fewer acknowledge in time, the lock is released (owner-checked), the work does not run,
     * and the returned future fails with {@link io.brickworks.cache.spi.CacheBackendException}
     * naming the lock and how many replicas acknowledged; nothing is left held. {@code 0} (the
     * default) counts the acquisition as soon as the primary has it.
     *
     * <p>What it adds: a failover to a replica that acknowledged does not lose the lock, so a second
     * holder cannot take it there. What it does not: a lock renewed later is not waited for again,
     * a replica that acknowledged may still not be the one promoted (use as many replicas as a
     * failover may choose from), and {@code WAIT} does not make Redis strongly consistent (a primary
     * that restarts without persistence still forgets the lock). See {@code docs/locks.md}.
     *
     * <p>The memory backend has no replicas: a lock with {@code replicas >= 1} is never acquired
     * there and fails as on a Redis primary without replicas (at once, without waiting).
     *
     * @throws IllegalArgumentException if {@code replicas} is negative, or {@code timeout} is null,
     *     shorter than 1 ms, or not shorter than the TTL
     */
    public LockOptions withSyncedReplicas(int replicas, Duration timeout) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be at least 0 but was " + replicas);
        }
        Names.checkExpire("syncTimeout", timeout);
        if (timeout.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("syncTimeout must be shorter than the ttl (" + ttl + ") but was "
                    + timeout);
        }
        return new LockOptions(ttl, lockAtLeastFor, renewEvery, maxWait, onLost, executor, replicas, timeout);
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration lockAtLeastFor() {
        return lockAtLeastFor;
    }

    public Duration renewEvery() {
        return renewEvery;
    }

    public Duration maxWait() {
        return maxWait;
    }

    public Optional<Consumer<? super LockHandle>> onLost() {
        return Optional.ofNullable(onLost);
    }

    /** The executor given with {@link #withExecutor}, or empty for the cache's. */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /** How many replicas must acknowledge the acquisition; 0 when the option is off. */
    public int syncedReplicas() {
        return syncedReplicas;
    }

    /** How long to wait for {@link #syncedReplicas()} acknowledgements; zero when the option is off. */
    public Duration syncTimeout() {
        return syncTimeout;
    }

    @Override
    public String toString() {
        return "LockOptions{ttl=" + ttl + ", lockAtLeastFor=" + lockAtLeastFor + ", renewEvery=" + renewEvery
                + ", maxWait=" + maxWait + (onLost != null ? ", onLost" : "") + (executor != null ? ", executor" : "")
                + (syncedReplicas > 0 ? ", syncedReplicas=" + syncedReplicas + " within " + syncTimeout : "") + "}";
    }
}
