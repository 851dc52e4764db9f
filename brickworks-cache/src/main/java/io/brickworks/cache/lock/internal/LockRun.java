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
 * when the cache closes, or when the final release finds it no longer held by this run.
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

    private final Object monitor = new Object();
    private boolean finished;
    private boolean lost;
    private Throwable lossCause;
    private ScheduledFuture<?> nextRenewal;
    private CompletableFuture<Boolean> inflight = CompletableFuture.completedFuture(true);

    LockRun(LockService service, DefaultLockHandle handle, LockOptions options, Executor executor) {
        this.service = service;
        this.handle = handle;
        this.options = options;
        this.executor = executor;
        this.ttlMillis = options.ttl().toMillis();
        this.renewNanos = options.renewEvery().toNanos();
    }

    CompletableFuture<LockResult<T>> run(Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        service.register(this);
        scheduleRenewal();
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
        synchronized (monitor) {
            if (finished || lost || handle.isReleased()) {
                return;
            }
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
                scheduleRenewal();
            }
        });
    }

    /** Stops renewing, waits for a renewal in flight, then releases or hands the lock over to expiry. */
    private CompletableFuture<Void> finish() {
        CompletableFuture<Boolean> last;
        synchronized (monitor) {
            finished = true;
            if (nextRenewal != null) {
                nextRenewal.cancel(false);
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
