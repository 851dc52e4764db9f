package io.brickworks.cache.lock.internal;

import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.internal.Work;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.metrics.LockEvent;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The lock algorithm, written once above the backend SPI: acquisition with a fencing token
 * ({@link CacheBackend#acquireWithFence}), owner-checked extend and release, waiting with jittered
 * backoff, and {@code withLock} with renewal, minimum hold time and loss detection. One per cache
 * instance; arguments are already checked and keys already scoped by the cache.
 *
 * <p>Timing (waits, renewals, minimum hold) reads {@link System#nanoTime()}, the clock of the
 * scheduler that runs it; lock expiry itself is the store's.
 */
public final class LockService {

    /** The first retry delay of a waiting acquisition, before jitter. */
    static final long FIRST_BACKOFF_MILLIS = 5;
    /** The longest retry delay of a waiting acquisition. */
    static final long MAX_BACKOFF_MILLIS = 1_000;

    private final CacheBackend backend;
    private final Supplier<ScheduledExecutorService> scheduler;
    private final Supplier<Executor> executor;
    private final String ownerPrefix;
    private final long fenceTtlMillis;
    private final Supplier<CacheMetrics> metrics;
    private final AtomicLong handles = new AtomicLong();
    /** Waits and runs in progress, told when the cache closes. */
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Something in progress that must be completed when the cache closes. */
    interface Pending {
        void cacheClosed(IllegalStateException reason);
    }

    /**
     * @param scheduler the cache runtime's scheduler (created on first use)
     * @param executor the cache's executor for application code, when the options name none
     * @param ownerToken the cache instance's owner token; each handle's token extends it
     * @param fenceTtl how long a lock's fencing counter outlives its last acquisition (at least the lock's TTL)
     * @param metrics where lock events go (read at each event, so that a binder bound later is used)
     */
    public LockService(CacheBackend backend, Supplier<ScheduledExecutorService> scheduler, Supplier<Executor> executor,
                       String ownerToken, Duration fenceTtl, Supplier<CacheMetrics> metrics) {
        this.backend = backend;
        this.scheduler = scheduler;
        this.executor = executor;
        this.ownerPrefix = ownerToken + ".";
        this.fenceTtlMillis = fenceTtl.toMillis();
        this.metrics = metrics;
    }

    /** Whether {@code withLock} reports a loss when the lease runs out unconfirmed; see {@link LockRun}. */
    private volatile boolean leaseDeadline = true;

    boolean leaseDeadline() {
        return leaseDeadline;
    }

    /**
     * The negative control of the lease tests: {@code false} plants the bug that the loss is noticed
     * only when a renewal call fails (after the command timeout). Tests only; {@code true} from the start.
     */
    void leaseDeadline(boolean on) {
        leaseDeadline = on;
    }

    /** Runs a backend call, turning an exception it throws into a failed future. */
    static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Tries once to take the lock for {@code owner}; returns its fencing token or {@code -1}. Used by
     * the original's {@code attemptDistributedLock}, whose owner is the cache instance.
     */
    public CompletableFuture<Long> acquire(LockTarget target, byte[] owner, Duration ttl) {
        long ttlMillis = ttl.toMillis();
        return call(() -> backend.acquireWithFence(target.key(), owner, ttlMillis, target.fenceKey(),
                Math.max(ttlMillis, fenceTtlMillis)));
    }

    /**
     * Tries once to take the lock for {@code owner} without drawing a fencing token: the original's
     * {@code attemptDistributedLock}, whose holder has no token to present. One {@code SET NX PX} (the
     * original's command) on every topology; the same key, so it excludes every other holder.
     */
    public CompletableFuture<Boolean> acquireUnfenced(LockTarget target, byte[] owner, Duration ttl) {
        long ttlMillis = ttl.toMillis();
        return call(() -> backend.set(target.key(), owner, ttlMillis, true, List.of())).thenApply(taken -> {
            metrics.get().lock(target.tenant(), target.name(), taken ? LockEvent.ACQUIRED : LockEvent.NOT_ACQUIRED);
            return taken;
        });
    }

    /** Tries once to take the lock for a new handle. */
    public CompletableFuture<Optional<LockHandle>> tryLock(LockTarget target, Duration ttl) {
        return handOver(waitFor(target, ttl, Duration.ZERO));
    }

    /**
     * The caller's view of an acquisition: cancelling it cancels the acquisition, and a lock taken
     * after the caller cancelled (so that nobody will ever see its handle) is released at once.
     */
    private static CompletableFuture<Optional<LockHandle>> handOver(CompletableFuture<DefaultLockHandle> acquisition) {
        CompletableFuture<Optional<LockHandle>> view = new CompletableFuture<>();
        acquisition.whenComplete((handle, error) -> {
            if (error != null) {
                view.completeExceptionally(error);
            } else if (!view.complete(Optional.ofNullable(handle)) && handle != null) {
                handle.release();
            }
        });
        view.whenComplete((result, error) -> {
            if (view.isCancelled()) {
                acquisition.cancel(false);
            }
        });
        return view;
    }

    private CompletableFuture<DefaultLockHandle> tryHandle(LockTarget target, Duration ttl) {
        byte[] owner = (ownerPrefix + handles.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        long sent = System.nanoTime();
        return acquire(target, owner, ttl).thenApply(token -> {
            if (token < 0) {
                return null;
            }
            CacheMetrics m = metrics.get();
            m.lock(target.tenant(), target.name(), LockEvent.ACQUIRED);
            m.lockHandleOpened(target.tenant(), target.name());
            return new DefaultLockHandle(backend, target, owner, token, sent, metrics);
        });
    }

    /**
     * Takes the lock, retrying with jittered exponential backoff until {@code maxWait} has passed.
     * Cancelling the returned future stops the retries (a lock taken meanwhile is released).
     */
    public CompletableFuture<Optional<LockHandle>> lock(LockTarget target, Duration ttl, Duration maxWait) {
        return handOver(waitFor(target, ttl, maxWait));
    }

    /** Takes the lock for a new handle, waiting up to {@code maxWait}; completes with null when not acquired. */
    private CompletableFuture<DefaultLockHandle> waitFor(LockTarget target, Duration ttl, Duration maxWait) {
        if (maxWait.isZero()) {
            return tryHandle(target, ttl).thenApply(handle -> {
                if (handle == null) {
                    notAcquired(target);
                }
                return handle;
            });
        }
        Waiter waiter = new Waiter(target, ttl, System.nanoTime() + maxWait.toNanos());
        waiter.attempt();
        return waiter.result;
    }

    private void notAcquired(LockTarget target) {
        metrics.get().lock(target.tenant(), target.name(), LockEvent.NOT_ACQUIRED);
    }

    /**
     * Runs {@code work} under the lock; see {@code BrickworksCache.withLock}. The work is started on
     * the options' executor, by default the cache's, never on a backend I/O thread; an executor that
     * rejects it fails the result with {@link IllegalStateException} and gives the lock back.
     * Cancelling the returned future before the work started stops the acquisition (and gives back a
     * lock taken meanwhile); once the work started, it runs and the lock is kept and released as usual.
     */
    public <T> CompletableFuture<LockResult<T>> withLock(LockTarget target, LockOptions options,
                                                         Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        Executor where = options.executor().orElseGet(executor);
        CompletableFuture<DefaultLockHandle> acquisition = waitFor(target, options.ttl(), options.maxWait());
        CompletableFuture<DefaultLockHandle> counted = options.syncedReplicas() == 0 ? acquisition
                : acquisition.thenCompose(handle -> handle == null ? CompletableFuture.completedFuture(null)
                        : synced(handle, options));
        CompletableFuture<LockResult<T>> result = new CompletableFuture<>();
        counted.whenComplete((handle, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (handle == null) {
                result.complete(LockResult.notAcquired());
            } else if (result.isDone()) {
                handle.release();
            } else {
                LockRun<T> run = new LockRun<>(this, handle, options, where);
                Work.run(where, () -> run.run(work).whenComplete((done, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(done);
                    }
                }), rejected -> {
                    handle.release();
                    result.completeExceptionally(new IllegalStateException("the executor did not accept the work "
                            + "of withLock('" + target.name() + "'); the lock was given back", rejected));
                });
            }
        });
        result.whenComplete((done, failure) -> {
            if (result.isCancelled()) {
                acquisition.cancel(false);
            }
        });
        return result;
    }

    /**
     * A synced-replica acquisition ({@link LockOptions#withSyncedReplicas}): the handle once enough
     * replicas acknowledged it; otherwise the lock is released first (owner-checked), and then the
     * future fails with {@link CacheBackendException}, so that nothing is held when it completes.
     */
    private CompletableFuture<DefaultLockHandle> synced(DefaultLockHandle handle, LockOptions options) {
        int wanted = options.syncedReplicas();
        return handle.syncReplicas(options.ttl(), wanted, options.syncTimeout()).handle((acked, error) -> {
            if (error == null && acked >= wanted) {
                return CompletableFuture.completedFuture(handle);
            }
            String why = error != null ? "the wait for its replicas failed"
                    : acked < 0 ? "it was lost before " + wanted + " replica(s) acknowledged it"
                    : "only " + acked + " of " + wanted + " replica(s) acknowledged it within " + options.syncTimeout();
            CacheBackendException failure = new CacheBackendException("withLock('" + handle.name()
                    + "') took the lock but " + why + "; the lock was released and the work did not run",
                    error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            return handle.release().handle((released, releaseError) -> {
                if (releaseError != null) {
                    failure.addSuppressed(releaseError);
                }
                return CompletableFuture.<DefaultLockHandle>failedFuture(failure);
            }).thenCompose(f -> f);
        }).thenCompose(f -> f);
    }

    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        if (closed) {
            throw new RejectedExecutionException("this cache is closed");
        }
        return scheduler.get().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    boolean isClosed() {
        return closed;
    }

    void register(Pending p) {
        pending.add(p);
        if (closed) {
            p.cacheClosed(new IllegalStateException("this cache is closed"));
        }
    }

    void unregister(Pending p) {
        pending.remove(p);
    }

    /**
     * Stops every wait and renewal: waits fail with {@link IllegalStateException}, running
     * {@code withLock} work is told that its lock is lost (it is no longer renewed). Called once,
     * by the cache runtime, before the backend closes.
     */
    public void close() {
        closed = true;
        IllegalStateException reason = new IllegalStateException("the cache was closed while the lock was in use");
        for (Pending p : pending) {
            p.cacheClosed(reason);
        }
        pending.clear();
    }

    /** The retry delay after {@code attempt} failed attempts: exponential, capped, with jitter in [d/2, d]. */
    static long backoffNanos(int attempt, Duration ttl) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, Math.max(FIRST_BACKOFF_MILLIS, ttl.toMillis() / 4));
        long d = Math.min(cap, FIRST_BACKOFF_MILLIS << Math.min(attempt, 20));
        long nanos = TimeUnit.MILLISECONDS.toNanos(d);
        return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
    }

    /** A waiting acquisition: one attempt at a time, the next one scheduled after a backoff. */
    private final class Waiter implements Pending {
        final CompletableFuture<DefaultLockHandle> result = new CompletableFuture<>();
        final LockTarget target;
        final Duration ttl;
        final long deadline;
        int attempts;

        Waiter(LockTarget target, Duration ttl, long deadline) {
            this.target = target;
            this.ttl = ttl;
            this.deadline = deadline;
            register(this);
            result.whenComplete((h, e) -> unregister(this));
        }

        void attempt() {
            if (result.isDone()) {
                return;
            }
            tryHandle(target, ttl).whenComplete((handle, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else if (handle != null) {
                    if (!result.complete(handle)) {
                        handle.release();
                    }
                } else {
                    retryOrGiveUp();
                }
            });
        }

        private void retryOrGiveUp() {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                notAcquired(target);
                result.complete(null);
                return;
            }
            long delay = Math.min(backoffNanos(attempts++, ttl), remaining);
            try {
                schedule(this::attempt, delay);
            } catch (RejectedExecutionException | IllegalStateException e) {
                result.completeExceptionally(new IllegalStateException("the cache was closed while waiting for lock '"
                        + target.name() + "'", e));
            }
        }

        @Override
        public void cacheClosed(IllegalStateException reason) {
            result.completeExceptionally(reason);
        }
    }
}
