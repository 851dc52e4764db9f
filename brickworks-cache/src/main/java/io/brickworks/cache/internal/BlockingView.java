package io.brickworks.cache.internal;

import io.brickworks.cache.BlockingBrickworksCache;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.BulkResult;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.function.FunctionCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@link BlockingBrickworksCache} of an async cache: each method makes the async call on the
 * calling thread (so argument errors are thrown before anything is sent, and the tenant is resolved
 * here) and waits for its future in {@link #await}. It holds no lock and no monitor while waiting.
 */
public final class BlockingView implements BlockingBrickworksCache {

    private final BrickworksCache async;

    public BlockingView(BrickworksCache async) {
        this.async = Objects.requireNonNull(async, "async");
    }

    @Override
    public BrickworksCache async() {
        return async;
    }

    // ------------------------------------------------------------------ waiting

    /** Waits for {@code future} at most the command timeout. */
    private <T> T await(CompletableFuture<T> future) {
        return await(future, async.settings().commandTimeout());
    }

    /**
     * Waits for {@code future} at most {@code bound} (without a bound when it is null), and returns its
     * value or throws its exception unwrapped. On timeout or interrupt the future is cancelled; if it
     * completed meanwhile (the cancel came too late), its outcome is returned after all, so that a
     * result that was handed over (a popped item) reaches the caller instead of being dropped. An
     * interrupt stays set on the thread either way.
     */
    private static <T> T await(CompletableFuture<T> future, Duration bound) {
        try {
            return bound == null ? future.get() : future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        } catch (TimeoutException e) {
            return settle(future, new CacheBackendException(
                    "no result within " + bound.toMillis() + " ms (the command timeout)", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return settle(future, new CacheBackendException("interrupted while waiting for the cache", e));
        }
    }

    /** Cancels {@code future} and throws {@code giveUp}, or returns its outcome if it completed first. */
    private static <T> T settle(CompletableFuture<T> future, CacheBackendException giveUp) {
        if (future.cancel(false)) {
            throw giveUp;
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw unwrapped(e);
        }
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new CompletionException(cause);
    }

    // ------------------------------------------------------------------ key-value

    @Override
    public boolean setKey(String key, String value) {
        return await(async.setKey(key, value));
    }

    @Override
    public boolean setKey(String key, String value, SetOptions options) {
        return await(async.setKey(key, value, options));
    }

    @Override
    public boolean setKey(String key, byte[] value) {
        return await(async.setKey(key, value));
    }

    @Override
    public boolean setKey(String key, byte[] value, SetOptions options) {
        return await(async.setKey(key, value, options));
    }

    @Override
    public String getKey(String key) {
        return await(async.getKey(key));
    }

    @Override
    public String getKey(String key, String namespace) {
        return await(async.getKey(key, namespace));
    }

    @Override
    public byte[] getKeyBytes(String key) {
        return await(async.getKeyBytes(key));
    }

    @Override
    public byte[] getKeyBytes(String key, String namespace) {
        return await(async.getKeyBytes(key, namespace));
    }

    @Override
    public <T> T getKeyDecoded(String key, String namespace, java.util.function.Function<byte[], T> decoder) {
        return await(async.getKeyDecoded(key, namespace, decoder));
    }

    @Override
    public boolean deleteKey(String key) {
        return await(async.deleteKey(key));
    }

    @Override
    public boolean deleteKey(String key, String namespace) {
        return await(async.deleteKey(key, namespace));
    }

    @Override
    public boolean refreshKey(String key) {
        return await(async.refreshKey(key));
    }

    @Override
    public boolean refreshKey(String key, String namespace, Duration expire) {
        return await(async.refreshKey(key, namespace, expire));
    }

    // ------------------------------------------------------------------ bulk

    /**
     * Waits for a bulk call at most twice the command timeout: each key's outcome comes within about
     * the command timeout (a key whose node does not answer fails at about that moment), so the call
     * as a whole needs a margin beyond it, or the wait would end just before the per-key failures it
     * is meant to report.
     */
    private <T> T awaitBulk(CompletableFuture<T> future) {
        return await(future, async.settings().commandTimeout().multipliedBy(2));
    }

    @Override
    public BulkResult<String> getMany(Collection<String> keys) {
        return awaitBulk(async.getMany(keys));
    }

    @Override
    public BulkResult<String> getMany(Collection<String> keys, String namespace) {
        return awaitBulk(async.getMany(keys, namespace));
    }

    @Override
    public BulkResult<byte[]> getManyBytes(Collection<String> keys) {
        return awaitBulk(async.getManyBytes(keys));
    }

    @Override
    public BulkResult<byte[]> getManyBytes(Collection<String> keys, String namespace) {
        return awaitBulk(async.getManyBytes(keys, namespace));
    }

    @Override
    public BulkResult<Boolean> setMany(Map<String, String> entries) {
        return awaitBulk(async.setMany(entries));
    }

    @Override
    public BulkResult<Boolean> setMany(Map<String, String> entries, SetOptions options) {
        return awaitBulk(async.setMany(entries, options));
    }

    @Override
    public BulkResult<Boolean> setManyBytes(Map<String, byte[]> entries) {
        return awaitBulk(async.setManyBytes(entries));
    }

    @Override
    public BulkResult<Boolean> setManyBytes(Map<String, byte[]> entries, SetOptions options) {
        return awaitBulk(async.setManyBytes(entries, options));
    }

    @Override
    public BulkResult<Boolean> deleteMany(Collection<String> keys) {
        return awaitBulk(async.deleteMany(keys));
    }

    @Override
    public BulkResult<Boolean> deleteMany(Collection<String> keys, String namespace) {
        return awaitBulk(async.deleteMany(keys, namespace));
    }

    // ------------------------------------------------------------------ queues

    @Override
    public long pushToQueue(String queue, String item) {
        return await(async.pushToQueue(queue, item));
    }

    @Override
    public long pushToQueue(String queue, String item, String namespace) {
        return await(async.pushToQueue(queue, item, namespace));
    }

    @Override
    public String popFromQueue(String queue) {
        return await(async.popFromQueue(queue));
    }

    @Override
    public String popFromQueue(String queue, String namespace) {
        return await(async.popFromQueue(queue, namespace));
    }

    @Override
    public String popFromQueue(String queue, Duration wait) {
        CompletableFuture<String> popped = async.popFromQueue(queue, wait);
        return await(popped, wait.plus(async.settings().commandTimeout()));
    }

    @Override
    public String popFromQueue(String queue, String namespace, Duration wait) {
        CompletableFuture<String> popped = async.popFromQueue(queue, namespace, wait);
        return await(popped, wait.plus(async.settings().commandTimeout()));
    }

    @Override
    public ReliableQueue reliableQueue(String queue) {
        return async.reliableQueue(queue);
    }

    @Override
    public ReliableQueue reliableQueue(String queue, QueueOptions options) {
        return async.reliableQueue(queue, options);
    }

    // ------------------------------------------------------------------ sets

    @Override
    public long addToSet(String key, Collection<String> values) {
        return await(async.addToSet(key, values));
    }

    @Override
    public long addToSet(String key, Collection<String> values, String namespace, Duration expire) {
        return await(async.addToSet(key, values, namespace, expire));
    }

    @Override
    public long removeFromSet(String key, Collection<String> values) {
        return await(async.removeFromSet(key, values));
    }

    @Override
    public long removeFromSet(String key, Collection<String> values, String namespace) {
        return await(async.removeFromSet(key, values, namespace));
    }

    @Override
    public Set<String> getSetMembers(String key) {
        return await(async.getSetMembers(key));
    }

    @Override
    public Set<String> getSetMembers(String key, String namespace) {
        return await(async.getSetMembers(key, namespace));
    }

    @Override
    public boolean isSetMember(String key, String value) {
        return await(async.isSetMember(key, value));
    }

    @Override
    public boolean isSetMember(String key, String value, String namespace) {
        return await(async.isSetMember(key, value, namespace));
    }

    // ------------------------------------------------------------------ indices

    @Override
    public List<String> listKeysByIndex(String index) {
        return await(async.listKeysByIndex(index));
    }

    @Override
    public List<String> listKeysByIndex(String index, String namespace) {
        return await(async.listKeysByIndex(index, namespace));
    }

    @Override
    public long deleteKeysByIndex(String index) {
        return await(async.deleteKeysByIndex(index));
    }

    @Override
    public long deleteKeysByIndex(String index, String namespace) {
        return await(async.deleteKeysByIndex(index, namespace));
    }

    // ------------------------------------------------------------------ function cache

    @Override
    public FunctionCache functions() {
        return async.functions();
    }

    @Override
    public long cacheClear(String name) {
        return await(async.functions().cacheClear(name));
    }

    @Override
    public boolean isHeld(LockHandle handle) {
        return await(Names.checkNotNull("handle", handle).isHeld());
    }

    @Override
    public boolean extend(LockHandle handle, Duration ttl) {
        return await(Names.checkNotNull("handle", handle).extend(ttl));
    }

    @Override
    public boolean release(LockHandle handle) {
        return await(Names.checkNotNull("handle", handle).release());
    }

    @Override
    public Duration ping() {
        return await(async.ping());
    }

    @Override
    public io.brickworks.cache.admin.CacheAdmin admin() {
        return async.admin();
    }

    // ------------------------------------------------------------------ locks

    @Override
    public boolean attemptDistributedLock(String name) {
        return await(async.attemptDistributedLock(name));
    }

    @Override
    public boolean attemptDistributedLock(String name, Duration ttl) {
        return await(async.attemptDistributedLock(name, ttl));
    }

    @Override
    public boolean releaseDistributedLock(String name) {
        return await(async.releaseDistributedLock(name));
    }

    @Override
    public Optional<LockHandle> tryLock(String name, Duration ttl) {
        return await(async.tryLock(name, ttl));
    }

    @Override
    public Optional<LockHandle> lock(String name, Duration ttl, Duration maxWait) {
        CompletableFuture<Optional<LockHandle>> waiting = async.lock(name, ttl, maxWait);
        return await(waiting, maxWait.plus(async.settings().commandTimeout()));
    }

    @Override
    public <T> LockResult<T> withLock(String name, Duration ttl,
                                      Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        return await(async.withLock(name, ttl, work), null);
    }

    @Override
    public <T> LockResult<T> withLock(String name, LockOptions options,
                                      Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        return await(async.withLock(name, options, work), null);
    }

    @Override
    public LockResult<Void> withLock(String name, Duration ttl, Runnable work) {
        return await(async.withLock(name, ttl, work), null);
    }

    @Override
    public LockResult<Void> withLock(String name, LockOptions options, Runnable work) {
        return await(async.withLock(name, options, work), null);
    }

    @Override
    public <T> LockResult<T> withLock(String name, Duration ttl, Callable<? extends T> work) {
        return await(async.withLock(name, ttl, work), null);
    }

    @Override
    public <T> LockResult<T> withLock(String name, LockOptions options, Callable<? extends T> work) {
        return await(async.withLock(name, options, work), null);
    }

    // ------------------------------------------------------------------ tenancy

    @Override
    public BlockingBrickworksCache forTenant(String tenant) {
        return new BlockingView(async.forTenant(tenant));
    }

    @Override
    public BlockingBrickworksCache masterTenant() {
        return new BlockingView(async.masterTenant());
    }

    @Override
    public Optional<String> boundTenant() {
        return async.boundTenant();
    }

    @Override
    public String currentTenant() {
        return async.currentTenant();
    }

    @Override
    public CacheSettings settings() {
        return async.settings();
    }

    @Override
    public String toString() {
        return "blocking view of " + async;
    }
}
