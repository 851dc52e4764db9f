package io.brickworks.cache.function;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A function whose results are cached under a stable name, made by {@link CachedFunctionBuilder}.
 * The nested interfaces are the callable forms: {@link Async1}, {@link Async2}, {@link Async3},
 * {@link AsyncN} for functions that return a {@link CompletableFuture}, and {@link Sync1},
 * {@link Sync2}, {@link Sync3}, {@link SyncN} for plain functions.
 *
 * <h2>Contract of a call</h2>
 * <ul>
 * <li><b>Tenant.</b> The tenant is resolved once, when the call is made, as for every cache method
 *     (the master tenant with {@link CachedFunctionBuilder#masterTenant()}). Each tenant has its own
 *     entries. The tenant bound with {@link io.brickworks.cache.Tenants#bind} on the calling thread is
 *     bound again around the function's invocation, whatever thread invokes it.</li>
 * <li><b>Key.</b> {@code <name>-<sha256 of the canonical JSON of the arguments>} in namespace
 *     {@code FUNC_CACHE}, indexed under {@code <name>}, as in the original.</li>
 * <li><b>Hit.</b> A cached value is decoded against the declared result type and returned. A value
 *     that does not decode (garbage, a changed type, anything but this library's format) is deleted,
 *     logged (at WARN the first time for this function, then at DEBUG), and the call continues as a
 *     miss; the caller never sees the decode error. Java serialization is never used unless enabled
 *     with {@link CachedFunctionBuilder#javaSerialization(Class[])}.</li>
 * <li><b>Miss, single flight.</b> Concurrent calls with the same key in this process share one
 *     lookup and one computation. Across processes sharing a store, one caller takes a short-lived
 *     "computing" lease and invokes the function while the others poll for its result with backoff;
 *     if the lease holder dies, its lease expires and a waiting caller takes over. A caller waits at
 *     most {@link CachedFunctionBuilder#maxWait(Duration) maxWait} for another process and then
 *     computes the value itself. On Redis a miss costs five commands, four of them waited for (see
 *     {@code docs/function-cache.md}); the commands of concurrent misses share socket writes.</li>
 * <li><b>Threads.</b> The function is never invoked on a backend I/O thread and no thread is started
 *     per call. An async function is invoked on the calling thread when the miss is known there (the
 *     memory backend answers at once), else on its {@link CachedFunctionBuilder#executor executor}
 *     (by default the cache's, see {@link io.brickworks.cache.BrickworksCache.Builder#executor});
 *     with an executor of its own, always there. A synchronous function is invoked on the calling
 *     thread. Early refreshes run on the executor. Stored values over 8 KiB are decoded on the
 *     executor (a synchronous function's: the calling thread), smaller ones where they arrive. The
 *     returned future may complete on a backend I/O thread: do not block in its continuations.</li>
 * <li><b>Store.</b> The result is stored as JSON with the function's expiry, replacing any value.
 *     A null result is returned and stored only with {@link CachedFunctionBuilder#cacheNulls(boolean)}.</li>
 * <li><b>Failures.</b> An exception of the function fails the call (and the calls sharing it) and
 *     is never cached; the next call computes again. A result that cannot be encoded fails the call
 *     with {@link IllegalStateException} and nothing is cached. Backend failures fail the call with
 *     {@link io.brickworks.cache.spi.CacheBackendException}.</li>
 * <li><b>Bad input.</b> Arguments that cannot be serialized to JSON throw
 *     {@link IllegalArgumentException} from the call itself (naming the function and the argument),
 *     before anything is read or written. With multi-tenancy on and no tenant bound, a call throws
 *     {@link IllegalStateException}; after the cache is closed, too.</li>
 * </ul>
 * Instances are thread-safe; create each once and reuse it (its single flight and counters are
 * per instance).
 */
public interface CachedFunction {

    /** The stable name given to the builder. */
    String name();

    /**
     * Deletes every cached result of this function in the current tenant (the master tenant for a
     * master-tenant function), as the original's {@code cache_clear()}: entries of other tenants
     * stay. A computation running concurrently may store its result after the clear.
     *
     * @return how many entries were deleted
     */
    CompletableFuture<Long> cacheClear();

    /**
     * Deletes the cached result of one call with {@code arguments}, in the current tenant.
     *
     * @return whether an entry was deleted
     * @throws IllegalArgumentException if the arguments cannot be serialized
     */
    CompletableFuture<Boolean> invalidate(Arguments arguments);

    /** A snapshot of this function's counters in this process. */
    FunctionCacheStats stats();

    /** A cached async function of one argument. */
    interface Async1<A, R> extends CachedFunction, Function<A, CompletableFuture<R>> {
        /** The result for {@code a}, from the cache or computed. */
        @Override
        CompletableFuture<R> apply(A a);
    }

    /** A cached async function of two arguments. */
    interface Async2<A, B, R> extends CachedFunction, BiFunction<A, B, CompletableFuture<R>> {
        /** The result for {@code (a, b)}, from the cache or computed. */
        @Override
        CompletableFuture<R> apply(A a, B b);
    }

    /** A cached async function of three arguments. */
    interface Async3<A, B, C, R> extends CachedFunction, CachedFunctionBuilder.Function3<A, B, C, CompletableFuture<R>> {
        /** The result for {@code (a, b, c)}, from the cache or computed. */
        @Override
        CompletableFuture<R> apply(A a, B b, C c);
    }

    /** A cached async function of any number of positional and named arguments. */
    interface AsyncN<R> extends CachedFunction {
        /** The result for {@code arguments}, from the cache or computed. */
        CompletableFuture<R> call(Arguments arguments);

        /** The result for the positional {@code arguments}, from the cache or computed. */
        default CompletableFuture<R> call(Object... arguments) {
            return call(Arguments.of(arguments));
        }
    }

    /**
     * A cached synchronous function of one argument. A call blocks: a miss invokes the function on
     * the calling thread (keeping its thread-locals), other calls wait for it.
     */
    interface Sync1<A, R> extends CachedFunction, Function<A, R> {
        @Override
        R apply(A a);
    }

    /** A cached synchronous function of two arguments; blocks as {@link Sync1}. */
    interface Sync2<A, B, R> extends CachedFunction, BiFunction<A, B, R> {
        @Override
        R apply(A a, B b);
    }

    /** A cached synchronous function of three arguments; blocks as {@link Sync1}. */
    interface Sync3<A, B, C, R> extends CachedFunction, CachedFunctionBuilder.Function3<A, B, C, R> {
        @Override
        R apply(A a, B b, C c);
    }

    /** A cached synchronous function of any number of arguments; blocks as {@link Sync1}. */
    interface SyncN<R> extends CachedFunction {
        /** The result for {@code arguments}, from the cache or computed. */
        R call(Arguments arguments);

        /** The result for the positional {@code arguments}, from the cache or computed. */
        default R call(Object... arguments) {
            return call(Arguments.of(arguments));
        }
    }

    /**
     * A cached function without a fixed body: each call brings its own loader, for framework caches
     * (such as a Spring {@code Cache}) whose computation is only known at the call site. Made by
     * {@link CachedFunctionBuilder#loading()}. The key, tenant, single flight (in the process and across
     * processes, through the same lease), decoding and storing are those of every cached function: see
     * the contract above. When calls with the same key overlap, the loader of the one that computes is
     * invoked and the others share its result; their own loaders are not invoked.
     */
    interface Loading<R> extends CachedFunction {

        /**
         * The result for {@code arguments}, from the cache or from {@code loader}. The loader is invoked
         * as an async function's (see {@link CachedFunctionBuilder#executor}), never on a backend I/O thread.
         *
         * @throws IllegalArgumentException if {@code arguments} or {@code loader} is null, or the
         *     arguments cannot be serialized
         */
        CompletableFuture<R> get(Arguments arguments, Supplier<? extends CompletionStage<R>> loader);

        /**
         * The result for {@code arguments}, from the cache or from {@code loader} invoked on the calling
         * thread (keeping its thread-locals), as a synchronous function's. Blocks until the value is
         * known: while another process computes the same key, at most
         * {@link CachedFunctionBuilder#maxWait(java.time.Duration) maxWait}, after which this caller
         * computes it itself.
         *
         * @throws IllegalArgumentException as {@link #get(Arguments, Supplier)}
         */
        R load(Arguments arguments, Supplier<? extends R> loader);

        /**
         * The cached result for {@code arguments}, or {@code null} when there is none (nothing is
         * computed; with {@link CachedFunctionBuilder#cacheNulls(boolean)} a cached null reads as
         * {@code null} too). A stored value that does not decode is deleted and read as missing.
         *
         * @throws IllegalArgumentException if the arguments cannot be serialized
         */
        CompletableFuture<R> getIfPresent(Arguments arguments);

        /**
         * The cached results for many argument sets, in one bulk read ({@link
         * io.brickworks.cache.BrickworksCache#getManyBytes(java.util.Collection, String)}: what this process
         * holds first, the rest in one call to the store, grouped by slot on a Cluster): each as
         * {@link #getIfPresent} answers it, nothing computed. A stored value that does not decode is
         * deleted and read as missing; an argument set whose read failed is reported in
         * {@link CachedResults#failures()} while the others are answered. For a framework's
         * {@code getAll} (JCache, a page of entities): read what is cached, compute the rest with
         * {@link #get} or store it with {@link #put}.
         *
         * @throws IllegalArgumentException if {@code arguments} is null, or any element is null or cannot
         *     be serialized (the message names {@code arguments[i]} or the function and the argument);
         *     nothing is read
         */
        CompletableFuture<CachedResults<R>> getAllIfPresent(java.util.List<Arguments> arguments);

        /**
         * Stores {@code value} as the result for {@code arguments}, replacing any, with the function's
         * expiry and in its index (so {@link #cacheClear()} deletes it). A null value is stored only
         * with {@link CachedFunctionBuilder#cacheNulls(boolean)}; otherwise nothing is written.
         *
         * @return whether a value was written
         * @throws IllegalArgumentException if the arguments cannot be serialized
         * @throws IllegalStateException if the value cannot be encoded (nothing is written)
         */
        CompletableFuture<Boolean> put(Arguments arguments, R value);
    }
}
