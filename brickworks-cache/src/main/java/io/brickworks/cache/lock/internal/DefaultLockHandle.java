package io.brickworks.cache.lock.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.metrics.LockEvent;
import io.brickworks.cache.spi.CacheBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** A held lock: its target, its own owner token and its fencing token. */
final class DefaultLockHandle implements LockHandle {

    private final CacheBackend backend;
    private final LockTarget target;
    private final byte[] owner;
    private final long fencingToken;
    private final long acquiredAtNanos;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Supplier<CacheMetrics> metrics;
    /** Whether the end of this handle (released or lost) has been reported. */
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param acquiredAtNanos {@link System#nanoTime()} just before the acquisition was sent
     * @param metrics where the handle's renewals and its end go
     */
    DefaultLockHandle(CacheBackend backend, LockTarget target, byte[] owner, long fencingToken, long acquiredAtNanos,
                      Supplier<CacheMetrics> metrics) {
        this.backend = backend;
        this.target = target;
        this.owner = owner;
        this.fencingToken = fencingToken;
        this.acquiredAtNanos = acquiredAtNanos;
        this.metrics = metrics;
    }

    long acquiredAtNanos() {
        return acquiredAtNanos;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public String tenant() {
        return target.tenant();
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    String key() {
        return target.key();
    }

    /** See {@link CacheBackend#syncLock}: how many replicas acknowledged this lock, or -1 when it is not held. */
    CompletableFuture<Integer> syncReplicas(Duration ttl, int replicas, Duration timeout) {
        return LockService.call(() -> backend.syncLock(target.key(), owner, ttl.toMillis(), replicas, timeout.toMillis()));
    }

    /** Whether {@link #release()} (or a hand-over to expiry) has been started on this handle. */
    boolean isReleased() {
        return released.get();
    }

    @Override
    public CompletableFuture<Boolean> isHeld() {
        return LockService.call(() -> backend.get(target.key()).thenApply(value -> Arrays.equals(value, owner)));
    }

    @Override
    public CompletableFuture<Boolean> extend(Duration ttl) {
        Names.checkExpire("ttl", ttl);
        if (released.get()) {
            return CompletableFuture.completedFuture(false);
        }
        return renew(ttl.toMillis());
    }

    /** Compare-and-expire to {@code ttlMillis}, without the released check (the renewal loop checks it). */
    CompletableFuture<Boolean> renew(long ttlMillis) {
        return LockService.call(() -> backend.compareAndExpire(target.key(), owner, ttlMillis)).thenApply(held -> {
            if (!held) {
                end(LockEvent.LOST);
            } else if (!released.get()) {
                metrics.get().lock(target.tenant(), target.name(), LockEvent.RENEWED);
            }
            return held;
        });
    }

    /** Reports the end of this handle once: {@code RELEASED} or {@code LOST}, with the time it was held. */
    private void end(LockEvent event) {
        if (ended.compareAndSet(false, true)) {
            CacheMetrics m = metrics.get();
            m.lock(target.tenant(), target.name(), event);
            m.lockHandleEnded(target.tenant(), target.name(), System.nanoTime() - acquiredAtNanos);
        }
    }

    @Override
    public CompletableFuture<Boolean> release() {
        if (!released.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        return LockService.call(() -> backend.compareAndDelete(target.key(), owner)).thenApply(held -> {
            end(held ? LockEvent.RELEASED : LockEvent.LOST);
            return held;
        });
    }

    /**
     * Instead of releasing now, lets the lock expire {@code ttlMillis} from now (minimum hold time),
     * if this handle still holds it; marks the handle released.
     *
     * @return whether this handle still held the lock
     */
    CompletableFuture<Boolean> releaseAfter(long ttlMillis) {
        if (!released.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        return renew(ttlMillis).thenApply(held -> {
            end(held ? LockEvent.RELEASED : LockEvent.LOST);
            return held;
        });
    }

    @Override
    public void close() {
        try {
            release().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "LockHandle{name=" + target.name() + ", tenant=" + target.tenant() + ", token=" + fencingToken
                + (released.get() ? ", released" : "") + "}";
    }
}
