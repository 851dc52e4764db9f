package io.brickworks.cache.lock.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.spi.CacheBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A held lock: its target, its own owner token and its fencing token. */
final class DefaultLockHandle implements LockHandle {

    private final CacheBackend backend;
    private final LockTarget target;
    private final byte[] owner;
    private final long fencingToken;
    private final long acquiredAtNanos;
    private final AtomicBoolean released = new AtomicBoolean();

    /** @param acquiredAtNanos {@link System#nanoTime()} just before the acquisition was sent */
    DefaultLockHandle(CacheBackend backend, LockTarget target, byte[] owner, long fencingToken, long acquiredAtNanos) {
        this.backend = backend;
        this.target = target;
        this.owner = owner;
        this.fencingToken = fencingToken;
        this.acquiredAtNanos = acquiredAtNanos;
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
        return LockService.call(() -> backend.compareAndExpire(target.key(), owner, ttlMillis));
    }

    @Override
    public CompletableFuture<Boolean> release() {
        if (!released.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        return LockService.call(() -> backend.compareAndDelete(target.key(), owner));
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
        return renew(ttlMillis);
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
