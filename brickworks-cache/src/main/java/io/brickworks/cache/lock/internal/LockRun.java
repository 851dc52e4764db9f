package io.brickworks.cache.lock.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.internal.Work;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code withLock} call after the lock was taken: runs the work (called on the run's executor), renews the lock while it runs,
 * and at the end releases it (or, with a minimum hold time, lets it expire then). The lock counts as
 * lost when a renewal finds it gone or held by another owner, when a renewal cannot reach the store,
 * when the cache closes, when the final release finds it no longer held by this run, or when the
 * lease runs out by this process's clock before a renewal is confirmed.
 *
 * <p>The lease: an acquisition or renewal sent at time {@code s} and confirmed keeps the lock until
 * at least {@code s + ttl} (the store starts the TTL after receiving the call). When no renewal has
 * been confirmed by {@code s + ttl - ttl/10} for the last confirmed {@code s}, the lock counts as
 * lost at once, whatever the call in flight does later: a silent network cut or a paused store
 * reports the loss before another replica can take the lock, not when the command timeout ends.
 *
 * <p>At most one renewal is in flight; the next one is scheduled when it succeeds, and the release
 * waits for it, so a late renewal can never be taken for a loss after the release.
 */
final class LockRun<T> implements LockService.Pending {

    private static final Logger LOG = LoggerFactory.getLogger(LockRun.class);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final LockService service;
    private final DefaultLockHandle handle;
    private final LockOptions options;
    /** Where the work and the onLost callback run. */
    private final Executor executor;
    private final long ttlMillis;
    private final long renewNanos;
    private final long ttlNanos;
    /** The loss is reported this long before the lease ends (a tenth of the TTL). */
    private final long guardNanos;

    private final Object monitor = new Object();
    private boolean finished;
    private boolean lost;
    private Throwable lossCause;
    private ScheduledFuture<?> nextRenewal;
    private CompletableFuture<Boolean> inflight = CompletableFuture.completedFuture(true);
    /** {@link System#nanoTime()} at which the lease ends: the send time of the last confirmed call plus the TTL. */
    private long leaseEndNanos;
    private ScheduledFuture<?> leaseCheck;

    LockRun(LockService service, DefaultLockHandle handle, LockOptions options, Executor executor) {
        this.service = service;
        this.handle = handle;
        this.options = options;
        this.executor = executor;
        this.ttlMillis = options.ttl().toMillis();
        this.renewNanos = options.renewEvery().toNanos();
        this.ttlNanos = options.ttl().toNanos();
        this.guardNanos = ttlNanos / 10;
        this.leaseEndNanos = handle.acquiredAtNanos() + ttlNanos;
    }

    CompletableFuture<LockResult<T>> run(Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        service.register(this);
        scheduleRenewal();
        if (service.leaseDeadline()) {
            scheduleLeaseCheck();
        }
        CompletionStage<T> stage;
        try {
            stage = work.apply(handle);
            if (stage == null) {
                throw new IllegalStateException("the work of withLock('" + handle.name()
                        + "') returned null instead of a CompletionStage");
            }
        } catch (RuntimeException | Error e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<LockResult<T>> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> finish().whenComplete((ignored, never) -> {
            service.unregister(this);
            boolean wasLost;
            Throwable cause;
            synchronized (monitor) {
                wasLost = lost;
                cause = lossCause;
            }
            if (error != null) {
                if (wasLost) {
                    error.addSuppressed(new IllegalStateException("the lock '" + handle.name()
                            + "' was lost while the work ran", cause));
                }
                result.completeExceptionally(error);
            } else {
                result.complete(wasLost ? LockResult.lost(value, handle.fencingToken(), cause)
                        : LockResult.completed(value, handle.fencingToken()));
            }
        }));
        return result;
    }

    private void scheduleRenewal() {
        synchronized (monitor) {
            if (finished || lost) {
                return;
            }
            try {
                nextRenewal = service.schedule(this::renew, renewNanos);
            } catch (RejectedExecutionException | IllegalStateException e) {
                markLost(e);
            }
        }
    }

    private void renew() {
        CompletableFuture<Boolean> call;
        long sent;
        synchronized (monitor) {
            if (finished || lost || handle.isReleased()) {
                return;
            }
            sent = System.nanoTime();
            call = handle.renew(ttlMillis);
            inflight = call;
        }
        call.whenComplete((held, error) -> {
            if (error != null) {
                markLost(error);
            } else if (!held) {
                if (!handle.isReleased()) {
                    markLost(null);
                }
            } else {
                synchronized (monitor) {
                    leaseEndNanos = Math.max(leaseEndNanos, sent + ttlNanos);
                }
                scheduleRenewal();
            }
        });
    }

    /** Checks the lease when its guard time comes; a check that finds the lease extended schedules the next. */
    private void scheduleLeaseCheck() {
        synchronized (monitor) {
            if (finished || lost) {
                return;
            }
            long delay = leaseEndNanos - guardNanos - System.nanoTime();
            try {
                leaseCheck = service.schedule(this::checkLease, Math.max(0, delay));
            } catch (RejectedExecutionException | IllegalStateException e) {
                markLost(e);
            }
        }
    }

    private void checkLease() {
        long overdueNanos;
        synchronized (monitor) {
            if (finished || lost) {
                return;
            }
            overdueNanos = System.nanoTime() - (leaseEndNanos - guardNanos);
        }
        if (overdueNanos < 0) {
            scheduleLeaseCheck();
            return;
        }
        markLost(new IllegalStateException("no renewal of lock '" + Names.show(handle.name())
                + "' was confirmed within its lease (TTL " + ttlMillis + " ms): another replica may take it from now on"));
    }

    /** Stops renewing, waits for a renewal in flight, then releases or hands the lock over to expiry. */
    private CompletableFuture<Void> finish() {
        CompletableFuture<Boolean> last;
        synchronized (monitor) {
            finished = true;
            if (nextRenewal != null) {
                nextRenewal.cancel(false);
            }
            if (leaseCheck != null) {
                leaseCheck.cancel(false);
            }
            last = inflight;
        }
        return last.handle((held, error) -> null).thenCompose(ignored -> release());
    }

    private CompletableFuture<Void> release() {
        if (handle.isReleased() || service.isClosed()) {
            // Released by the work itself, or the cache (and its connections) closed: the lock expires by its TTL.
            return CompletableFuture.completedFuture(null);
        }
        long holdNanos = options.lockAtLeastFor().toNanos() - (System.nanoTime() - handle.acquiredAtNanos());
        CompletableFuture<Boolean> step = holdNanos >= MILLI
                ? handle.releaseAfter((holdNanos + MILLI - 1) / MILLI)
                : handle.release();
        return step.handle((held, error) -> {
            if (error != null) {
                LOG.warn("could not release lock {} of tenant {} after its work ended; it expires by its TTL",
                        Names.show(handle.name()), Names.show(handle.tenant()), error);
            } else if (!held) {
                markLost(null);
            }
            return null;
        });
    }

    private void markLost(Throwable cause) {
        synchronized (monitor) {
            if (lost) {
                return;
            }
            lost = true;
            lossCause = cause;
            if (nextRenewal != null) {
                nextRenewal.cancel(false);
            }
            if (leaseCheck != null) {
                leaseCheck.cancel(false);
            }
        }
        LOG.warn("lock {} of tenant {} (fencing token {}) was lost while its work ran{}", Names.show(handle.name()),
                Names.show(handle.tenant()), handle.fencingToken(), cause == null ? "" : ": " + cause);
        options.onLost().ifPresent(callback -> Work.run(executor, () -> callback.accept(handle),
                e -> LOG.error("the onLost callback of lock {} failed", Names.show(handle.name()), e)));
    }

    @Override
    public void cacheClosed(IllegalStateException reason) {
        markLost(reason);
    }
}
