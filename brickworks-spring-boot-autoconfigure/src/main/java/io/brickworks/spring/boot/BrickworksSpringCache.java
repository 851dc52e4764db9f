package io.brickworks.spring.boot;

import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.tx.PostCommit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} on one {@link CachedFunction.Loading} of the
 * function cache, named like the Spring cache.
 *
 * <ul>
 * <li><b>Keys.</b> Any key that {@link SpringKeys} can represent faithfully (else {@link IllegalArgumentException}, nothing read or written): entry {@code <prefix>:<tenant>:FUNC_CACHE:<name>-<sha256>},
 *     indexed under the cache name, in the tenant current at the call (or the master tenant).</li>
 * <li><b>Values.</b> JSON with the value's type beside it, decoded only for allowed types
 *     ({@link StoredValue}); a value that does not decode is deleted, logged once and read as a miss.</li>
 * <li><b>{@link #get(Object, java.util.concurrent.Callable)}</b> ({@code @Cacheable(sync = true)}): one
 *     computation per key across every replica sharing the store (the function cache's lease); the
 *     loader runs on the calling thread.</li>
 * <li><b>{@link #clear()}</b> deletes the entries of the current tenant through the cache's index.</li>
 * <li><b>{@link #putIfAbsent}</b> is atomic on every backend: one set-if-absent ({@code SET NX} on Redis).</li>
 * <li><b>Transaction-aware</b> (when configured), exactly as Spring's {@code TransactionAwareCacheDecorator}:
 *     {@code put}, {@code evict} and {@code clear} called inside a transaction run after its commit and
 *     never on rollback (the call returns at once); {@code putIfAbsent}, {@code evictIfPresent} and
 *     {@code invalidate} act at once, inside the transaction too.</li>
 * <li><b>Meters.</b> Boot's cache meters ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions})
 *     count this process's calls ({@link SpringCacheMeterBinder}).</li>
 * <li><b>Blocking.</b> The blocking methods wait at most twice the command timeout and then fail
 *     with {@link CacheBackendException}; the {@code retrieve} methods never block.</li>
 * </ul>
 */
final class BrickworksSpringCache extends AbstractValueAdaptingCache {

    private final String name;
    private final CachedFunction.Loading<StoredValue> function;
    private final SpringKeys keys;
    private final boolean transactionAware;
    private final long waitMillis;

    /** This process's counts for Boot's cache meters ({@link SpringCacheMeterBinder}). */
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder puts = new LongAdder();
    final LongAdder evictions = new LongAdder();

    BrickworksSpringCache(String name, CachedFunction.Loading<StoredValue> function, SpringKeys keys,
                          boolean allowNullValues, boolean transactionAware, Duration commandTimeout) {
        super(allowNullValues);
        this.name = name;
        this.function = function;
        this.keys = keys;
        this.transactionAware = transactionAware;
        this.waitMillis = commandTimeout.toMillis() * 2;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getNativeCache() {
        return function;
    }

    @Override
    protected Object lookup(Object key) {
        StoredValue stored = await(function.getIfPresent(keys.arguments(name, key)));
        (stored == null ? misses : hits).increment();
        return stored == null ? null : stored.value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, java.util.concurrent.Callable<T> valueLoader) {
        Arguments args = keys.arguments(name, key);
        boolean[] loaded = {false};
        StoredValue stored = function.load(args, () -> {
            loaded[0] = true;
            try {
                return new StoredValue(toStoreValue(valueLoader.call()));
            } catch (Exception e) {
                throw new ValueRetrievalException(key, valueLoader, e);
            }
        });
        (loaded[0] ? misses : hits).increment();
        return (T) fromStoreValue(stored.value);
    }

    @Override
    public CompletableFuture<?> retrieve(Object key) {
        return function.getIfPresent(keys.arguments(name, key)).thenApply(stored -> {
            (stored == null ? misses : hits).increment();
            return stored == null ? null
                    : isAllowNullValues() ? toValueWrapper(stored.value) : fromStoreValue(stored.value);
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        boolean[] loaded = {false};
        return function.get(keys.arguments(name, key), () -> {
            loaded[0] = true;
            return valueLoader.get().thenApply(v -> new StoredValue(toStoreValue(v)));
        }).thenApply(stored -> {
            (loaded[0] ? misses : hits).increment();
            return (T) fromStoreValue(stored.value);
        });
    }

    @Override
    public void put(Object key, Object value) {
        Arguments args = keys.arguments(name, key);
        StoredValue stored = new StoredValue(toStoreValue(value));
        puts.increment();
        change(() -> function.put(args, stored));
    }

    /**
     * Atomic on every backend: one set-if-absent ({@code SET NX} on Redis), so of concurrent callers
     * in any number of replicas exactly one stores its value and the others get it back. Immediate,
     * also in transaction-aware mode (as Spring's {@code TransactionAwareCacheDecorator}).
     */
    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        Arguments args = keys.arguments(name, key);
        StoredValue mine = new StoredValue(toStoreValue(value));
        StoredValue present;
        if (blindPutIfAbsent) {
            await(function.put(args, mine));
            present = null;
        } else {
            present = await(function.putIfAbsent(args, mine));
        }
        if (present == null) {
            puts.increment();
            return null;
        }
        return toValueWrapper(present.value);
    }

    /** Negative control of the tests: evictIfPresent in a transaction waits for the commit, as {@code evict}. */
    static volatile boolean plantedDeferredEvictIfPresent;

    /** Negative control of the tests: putIfAbsent writes without looking (every caller "stores"). */
    static volatile boolean blindPutIfAbsent;

    @Override
    public void evict(Object key) {
        Arguments args = keys.arguments(name, key);
        evictions.increment();
        change(() -> function.invalidate(args));
    }

    /** Immediate, also in transaction-aware mode (as Spring's {@code TransactionAwareCacheDecorator}). */
    @Override
    public boolean evictIfPresent(Object key) {
        if (plantedDeferredEvictIfPresent && deferred()) {
            evict(key);
            return false;
        }
        evictions.increment();
        return await(function.invalidate(keys.arguments(name, key)));
    }

    @Override
    public void clear() {
        change(function::cacheClear);
    }

    /** Immediate, also in transaction-aware mode (as Spring's {@code TransactionAwareCacheDecorator}). */
    @Override
    public boolean invalidate() {
        return await(function.cacheClear()) > 0;
    }

    /** Whether a change now is deferred to the commit of the transaction on this thread. */
    private boolean deferred() {
        return transactionAware && PostCommit.isTransactionActive();
    }

    /** Runs a change after the commit when deferred, else now, waiting for it. */
    private void change(Supplier<CompletableFuture<?>> change) {
        if (deferred()) {
            PostCommit.afterCommitOrNow(change::get);
        } else {
            await(change.get());
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new CacheBackendException("the Spring cache '" + name + "' had no answer within " + waitMillis
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheBackendException("interrupted while waiting for the Spring cache '" + name + "'", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }
}
