package io.brickworks.cache.tck;

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
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link BrickworksCache} that does everything through a {@link BlockingBrickworksCache}, so that the
 * whole contract suite runs against the blocking view: a backend's blocking test class returns
 * {@code BlockingAdapter.wrap(super.build(settings, resolver))} from {@link CacheContract#build}.
 *
 * <p>Each async method calls the blocking method on the calling thread and returns a completed future;
 * what the blocking method throws is thrown from the call. The two methods that wait on other owners
 * ({@code lock} and {@code withLock}) call the blocking method on a thread of their own, so the test can
 * act while they wait: the call returns once that thread has finished or is parked in its wait, and
 * throws an {@link IllegalArgumentException} from the call as the async API does (other failures
 * arrive through the future); cancelling the returned future interrupts the
 * thread, which the blocking view turns into cancelling the wait.
 */
public final class BlockingAdapter implements BrickworksCache {

    private final BlockingBrickworksCache blocking;

    private BlockingAdapter(BlockingBrickworksCache blocking) {
        this.blocking = blocking;
    }

    /** The adapter over {@code cache.blocking()}. */
    public static BrickworksCache wrap(BrickworksCache cache) {
        return new BlockingAdapter(cache.blocking());
    }

    /** The async cache under the blocking view, to read the store below the API. */
    BrickworksCache async() {
        return blocking.async();
    }

    private static <T> CompletableFuture<T> now(Supplier<T> call) {
        return CompletableFuture.completedFuture(call.get());
    }

    /** Calls {@code call} on a thread of its own; see the class comment. */
    private static <T> CompletableFuture<T> waiting(Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocking-adapter-waiter");
        waiter.setDaemon(true);
        waiter.start();
        while (!result.isDone() && waiter.getState() != Thread.State.WAITING
                && waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.yield();
        }
        if (result.isCompletedExceptionally()) {
            try {
                result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IllegalArgumentException bad) {
                    throw bad;
                }
            }
        }
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                waiter.interrupt();
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, String value) {
        return now(() -> blocking.setKey(key, value));
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, String value, SetOptions options) {
        return now(() -> blocking.setKey(key, value, options));
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, byte[] value) {
        return now(() -> blocking.setKey(key, value));
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, byte[] value, SetOptions options) {
        return now(() -> blocking.setKey(key, value, options));
    }

    @Override
    public CompletableFuture<String> getKey(String key) {
        return now(() -> blocking.getKey(key));
    }

    @Override
    public CompletableFuture<String> getKey(String key, String namespace) {
        return now(() -> blocking.getKey(key, namespace));
    }

    @Override
    public CompletableFuture<byte[]> getKeyBytes(String key) {
        return now(() -> blocking.getKeyBytes(key));
    }

    @Override
    public CompletableFuture<byte[]> getKeyBytes(String key, String namespace) {
        return now(() -> blocking.getKeyBytes(key, namespace));
    }

    @Override
    public <T> CompletableFuture<T> getKeyDecoded(String key, String namespace,
                                                  java.util.function.Function<byte[], T> decoder) {
        return now(() -> blocking.getKeyDecoded(key, namespace, decoder));
    }

    @Override
    public CompletableFuture<Boolean> deleteKey(String key) {
        return now(() -> blocking.deleteKey(key));
    }

    @Override
    public CompletableFuture<Boolean> deleteKey(String key, String namespace) {
        return now(() -> blocking.deleteKey(key, namespace));
    }

    @Override
    public CompletableFuture<Boolean> refreshKey(String key) {
        return now(() -> blocking.refreshKey(key));
    }

    @Override
    public CompletableFuture<Boolean> refreshKey(String key, String namespace, Duration expire) {
        return now(() -> blocking.refreshKey(key, namespace, expire));
    }

    @Override
    public CompletableFuture<BulkResult<String>> getMany(Collection<String> keys) {
        return now(() -> blocking.getMany(keys));
    }

    @Override
    public CompletableFuture<BulkResult<String>> getMany(Collection<String> keys, String namespace) {
        return now(() -> blocking.getMany(keys, namespace));
    }

    @Override
    public CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys) {
        return now(() -> blocking.getManyBytes(keys));
    }

    @Override
    public CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys, String namespace) {
        return now(() -> blocking.getManyBytes(keys, namespace));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries) {
        return now(() -> blocking.setMany(entries));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries, SetOptions options) {
        return now(() -> blocking.setMany(entries, options));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries) {
        return now(() -> blocking.setManyBytes(entries));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries, SetOptions options) {
        return now(() -> blocking.setManyBytes(entries, options));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys) {
        return now(() -> blocking.deleteMany(keys));
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys, String namespace) {
        return now(() -> blocking.deleteMany(keys, namespace));
    }

    @Override
    public CompletableFuture<Long> pushToQueue(String queue, String item) {
        return now(() -> blocking.pushToQueue(queue, item));
    }

    @Override
    public CompletableFuture<Long> pushToQueue(String queue, String item, String namespace) {
        return now(() -> blocking.pushToQueue(queue, item, namespace));
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue) {
        return now(() -> blocking.popFromQueue(queue));
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue, String namespace) {
        return now(() -> blocking.popFromQueue(queue, namespace));
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue, Duration wait) {
        return now(() -> blocking.popFromQueue(queue, wait));
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue, String namespace, Duration wait) {
        return now(() -> blocking.popFromQueue(queue, namespace, wait));
    }

    @Override
    public ReliableQueue reliableQueue(String queue) {
        return blocking.reliableQueue(queue);
    }

    @Override
    public ReliableQueue reliableQueue(String queue, QueueOptions options) {
        return blocking.reliableQueue(queue, options);
    }

    @Override
    public CompletableFuture<Long> addToSet(String key, Collection<String> values) {
        return now(() -> blocking.addToSet(key, values));
    }

    @Override
    public CompletableFuture<Long> addToSet(String key, Collection<String> values, String namespace, Duration expire) {
        return now(() -> blocking.addToSet(key, values, namespace, expire));
    }

    @Override
    public CompletableFuture<Long> removeFromSet(String key, Collection<String> values) {
        return now(() -> blocking.removeFromSet(key, values));
    }

    @Override
    public CompletableFuture<Long> removeFromSet(String key, Collection<String> values, String namespace) {
        return now(() -> blocking.removeFromSet(key, values, namespace));
    }

    @Override
    public CompletableFuture<Set<String>> getSetMembers(String key) {
        return now(() -> blocking.getSetMembers(key));
    }

    @Override
    public CompletableFuture<Set<String>> getSetMembers(String key, String namespace) {
        return now(() -> blocking.getSetMembers(key, namespace));
    }

    @Override
    public CompletableFuture<Boolean> isSetMember(String key, String value) {
        return now(() -> blocking.isSetMember(key, value));
    }

    @Override
    public CompletableFuture<Boolean> isSetMember(String key, String value, String namespace) {
        return now(() -> blocking.isSetMember(key, value, namespace));
    }

    @Override
    public CompletableFuture<List<String>> listKeysByIndex(String index) {
        return now(() -> blocking.listKeysByIndex(index));
    }

    @Override
    public CompletableFuture<List<String>> listKeysByIndex(String index, String namespace) {
        return now(() -> blocking.listKeysByIndex(index, namespace));
    }

    @Override
    public CompletableFuture<Long> deleteKeysByIndex(String index) {
        return now(() -> blocking.deleteKeysByIndex(index));
    }

    @Override
    public CompletableFuture<Long> deleteKeysByIndex(String index, String namespace) {
        return now(() -> blocking.deleteKeysByIndex(index, namespace));
    }

    @Override
    public FunctionCache functions() {
        return blocking.functions();
    }

    @Override
    public CompletableFuture<Duration> ping() {
        return now(blocking::ping);
    }

    @Override
    public java.util.Optional<io.brickworks.cache.metrics.NearCacheStats> nearCacheStats() {
        return blocking.async().nearCacheStats();
    }

    @Override
    public io.brickworks.cache.admin.CacheAdmin admin() {
        return blocking.admin();
    }

    @Override
    public void bindMetrics(io.brickworks.cache.metrics.CacheMetrics metrics) {
        blocking.async().bindMetrics(metrics);
    }

    @Override
    public CompletableFuture<Boolean> attemptDistributedLock(String name) {
        return now(() -> blocking.attemptDistributedLock(name));
    }

    @Override
    public CompletableFuture<Boolean> attemptDistributedLock(String name, Duration ttl) {
        return now(() -> blocking.attemptDistributedLock(name, ttl));
    }

    @Override
    public CompletableFuture<Boolean> releaseDistributedLock(String name) {
        return now(() -> blocking.releaseDistributedLock(name));
    }

    @Override
    public CompletableFuture<Optional<LockHandle>> tryLock(String name, Duration ttl) {
        return now(() -> blocking.tryLock(name, ttl));
    }

    @Override
    public CompletableFuture<Optional<LockHandle>> lock(String name, Duration ttl, Duration maxWait) {
        return waiting(() -> blocking.lock(name, ttl, maxWait));
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, Duration ttl,
                                                         Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        return waiting(() -> blocking.withLock(name, ttl, work));
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, LockOptions options,
                                                         Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        return waiting(() -> blocking.withLock(name, options, work));
    }

    @Override
    public CompletableFuture<LockResult<Void>> withLock(String name, Duration ttl, Runnable work) {
        return waiting(() -> blocking.withLock(name, ttl, work));
    }

    @Override
    public CompletableFuture<LockResult<Void>> withLock(String name, LockOptions options, Runnable work) {
        return waiting(() -> blocking.withLock(name, options, work));
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, Duration ttl, Callable<? extends T> work) {
        return waiting(() -> blocking.<T>withLock(name, ttl, work));
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, LockOptions options, Callable<? extends T> work) {
        return waiting(() -> blocking.<T>withLock(name, options, work));
    }

    @Override
    public BlockingBrickworksCache blocking() {
        return blocking;
    }

    @Override
    public BrickworksCache forTenant(String tenant) {
        return new BlockingAdapter(blocking.forTenant(tenant));
    }

    @Override
    public BrickworksCache masterTenant() {
        return new BlockingAdapter(blocking.masterTenant());
    }

    @Override
    public Optional<String> boundTenant() {
        return blocking.boundTenant();
    }

    @Override
    public String currentTenant() {
        return blocking.currentTenant();
    }

    @Override
    public CacheSettings settings() {
        return blocking.settings();
    }

    @Override
    public void close() {
        blocking.async().close();
    }
}
