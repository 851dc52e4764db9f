package io.brickworks.cache.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Options of a cached function, then the function to wrap. Made by
 * {@link FunctionCache#function(String, Class)}; every option checks its argument at once and
 * throws {@link IllegalArgumentException} naming it. Not thread-safe; one builder may wrap several
 * functions, each independent.
 *
 * <p>Wrapping a function registers its name on the cache (views of one cache share the
 * registrations): the same name again with the same options is fine (each wrapper is independent,
 * with its own counters), but with other options (result type, expiry, master tenant, null caching,
 * early refresh, lease, maximum wait or serialization) it throws {@link IllegalArgumentException},
 * since both would read and write the same entries with different meanings.
 *
 * <pre>{@code
 * CachedFunction.Async2<Integer, Integer, Integer> add = cache.functions()
 *         .function("billing.add", Integer.class)
 *         .expire(Duration.ofMinutes(2))
 *         .async((a, b) -> CompletableFuture.completedFuture(a + b));
 * add.apply(1, 2).join();   // computed
 * add.apply(1, 2).join();   // from the cache
 * add.cacheClear().join();  // current tenant only
 * }</pre>
 *
 * @param <R> the result type
 */
public interface CachedFunctionBuilder<R> {

    /** How long a result stays cached; by default the cache's default expiry (7 days). At least 1 ms. */
    CachedFunctionBuilder<R> expire(Duration expire);

    /** Caches in the master tenant, shared by all tenants (the original's {@code master_tenant=True}). */
    CachedFunctionBuilder<R> masterTenant();

    /**
     * Whether a null result is cached. Off by default: a null result is returned but not stored, so
     * the next call computes again (the right choice when null means "not there yet"). On: null is
     * stored like any other result and returned from the cache until it expires.
     */
    CachedFunctionBuilder<R> cacheNulls(boolean cacheNulls);

    /**
     * Turns on probabilistic early refresh (XFetch): on a hit, with a probability that grows as the
     * entry nears its expiry and with the time the last computation took, one caller recomputes the
     * entry in the background while every caller keeps getting the cached value, so hot entries do
     * not expire into a burst of misses. {@code beta} scales the eagerness: 1.0 is the usual value,
     * larger refreshes earlier; 0 (the default) turns it off. Costs one extra (pipelined) TTL read
     * per hit.
     *
     * @throws IllegalArgumentException if {@code beta} is negative, NaN or infinite
     */
    CachedFunctionBuilder<R> earlyRefresh(double beta);

    /**
     * The lease of the caller that computes a missing entry for all processes sharing the store: it
     * renews the lease every third of it while the function runs; if it dies, other callers take
     * over once the lease runs out. Default 10 s. At least 100 ms.
     */
    CachedFunctionBuilder<R> computeLease(Duration lease);

    /**
     * The longest a caller waits for another process's computation of the same entry before
     * computing it itself. Default 30 s. At least 1 ms. (Calls in the same process share one
     * computation and wait for it without this bound: the computation itself is not bounded; put a
     * timeout on the function's own future if it may hang.)
     */
    CachedFunctionBuilder<R> maxWait(Duration maxWait);

    /**
     * Where the function is invoked. By default an async function is invoked on the calling thread
     * when the miss is known there (the memory backend answers at once), and otherwise on the
     * cache's executor ({@link io.brickworks.cache.BrickworksCache.Builder#executor}), never on a
     * backend I/O thread; a synchronous function always runs on the calling thread, and its early
     * refreshes on the cache's executor. With an executor, every invocation (async misses, early
     * refreshes) and the decoding of large stored values run on it, except misses of synchronous
     * functions, which stay on the calling thread. The cache never shuts it down.
     *
     * @throws IllegalArgumentException if {@code executor} is null
     */
    CachedFunctionBuilder<R> executor(Executor executor);

    /**
     * The Jackson mapper that encodes and decodes results and turns arguments into JSON (a copy is
     * used, with map keys sorted). By default a mapper with the Java time and JDK 8 modules that
     * decodes strictly (unknown properties and missing record components fail, so a result type
     * changed by a redeploy is recomputed). Never enable default typing on it.
     */
    CachedFunctionBuilder<R> jsonMapper(ObjectMapper mapper);

    /**
     * Stores results with Java serialization instead of JSON, for result types that JSON cannot
     * represent. Decoding accepts only the classes in {@code allowed} (and primitives and arrays of
     * allowed types), enforced by an {@link java.io.ObjectInputFilter}: list every class of the
     * result's object graph (for example {@code ArrayList.class} and your element class). A stored
     * graph with any other class is rejected before it is instantiated, deleted, and recomputed.
     *
     * @throws IllegalArgumentException if {@code allowed} is empty or holds null
     */
    CachedFunctionBuilder<R> javaSerialization(Class<?>... allowed);

    /**
     * Wraps an async function of one argument.
     *
     * @throws IllegalArgumentException if {@code function} is null
     */
    <A> CachedFunction.Async1<A, R> async(Function<? super A, ? extends CompletionStage<R>> function);

    /** Wraps an async function of two arguments. */
    <A, B> CachedFunction.Async2<A, B, R> async(BiFunction<? super A, ? super B, ? extends CompletionStage<R>> function);

    /** Wraps an async function of three arguments. */
    <A, B, C> CachedFunction.Async3<A, B, C, R> async(
            Function3<? super A, ? super B, ? super C, ? extends CompletionStage<R>> function);

    /** Wraps an async function of any number of positional and named arguments. */
    CachedFunction.AsyncN<R> asyncArgs(Function<Arguments, ? extends CompletionStage<R>> function);

    /** Wraps a synchronous function of one argument. */
    <A> CachedFunction.Sync1<A, R> sync(Function<? super A, ? extends R> function);

    /** Wraps a synchronous function of two arguments. */
    <A, B> CachedFunction.Sync2<A, B, R> sync(BiFunction<? super A, ? super B, ? extends R> function);

    /** Wraps a synchronous function of three arguments. */
    <A, B, C> CachedFunction.Sync3<A, B, C, R> sync(Function3<? super A, ? super B, ? super C, ? extends R> function);

    /** Wraps a synchronous function of any number of positional and named arguments. */
    CachedFunction.SyncN<R> syncArgs(Function<Arguments, ? extends R> function);

    /**
     * A cached function whose loader is given with each call (see {@link CachedFunction.Loading}),
     * with this builder's options.
     */
    CachedFunction.Loading<R> loading();

    /** A function of three arguments. */
    @FunctionalInterface
    interface Function3<A, B, C, R> {
        /** Applies this function. */
        R apply(A a, B b, C c);
    }
}
