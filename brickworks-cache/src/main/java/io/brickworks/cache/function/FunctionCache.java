package io.brickworks.cache.function;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The function cache of a {@link io.brickworks.cache.BrickworksCache}: memoizes functions under
 * stable names, in the tenant of the cache view it came from ({@code cache.forTenant("acme").functions()}
 * caches in {@code acme}; {@code cache.functions()} in the tenant current at each call).
 * Obtained with {@link io.brickworks.cache.BrickworksCache#functions()}; thread-safe.
 *
 * <p>Function names are chosen by the application and must stay the same across deploys (they are
 * part of the keys, shared by every replica): a name must not be null or empty nor contain a colon.
 * The original names functions {@code <module>.<qualified name>}. Keys are made exactly as the
 * original makes them, so a Java service can list or clear (by name) the entries of a Python
 * service's function; the values are not shared, though (the original stores pickles, this library
 * JSON): give a Java function its own name, or each side will discard and recompute the other's
 * entries.
 */
public interface FunctionCache {

    /**
     * Starts wrapping a function named {@code name} whose results have type {@code resultType}.
     *
     * @throws IllegalArgumentException if {@code name} is null, empty or has a colon, or
     *     {@code resultType} is null
     */
    <R> CachedFunctionBuilder<R> function(String name, Class<R> resultType);

    /**
     * Starts wrapping a function named {@code name} with a generic result type, given as a type
     * token such as {@code new ResultType<List<User>>() {}}.
     *
     * @throws IllegalArgumentException if {@code name} is null, empty or has a colon, or
     *     {@code resultType} is null
     */
    <R> CachedFunctionBuilder<R> function(String name, ResultType<R> resultType);

    /**
     * A JDK dynamic proxy of {@code type} that calls {@code target} and caches the results of every
     * method annotated with {@link Cached}; other methods are passed through. Exceptions of
     * {@code target} reach the caller unchanged (checked ones too, as the method declares them).
     * Make the proxy once and reuse it: its single flight and counters belong to it.
     *
     * @throws IllegalArgumentException if {@code type} is not an interface, {@code target} is null,
     *     a {@link Cached} method returns void or has a bad name or expiry, two methods use the
     *     same name, a name is registered on this cache with other options (see
     *     {@link CachedFunctionBuilder}), or {@code type} is not public (the proxy could not call the
     *     target's methods; the message says to make it public)
     */
    <T> T cached(Class<T> type, T target);

    /**
     * The cached functions of a proxy made by {@link #cached(Class, Object)}, by name, to read their
     * counters or clear them.
     *
     * @throws IllegalArgumentException if {@code proxy} was not made by {@link #cached(Class, Object)}
     */
    Map<String, CachedFunction> cachedFunctions(Object proxy);

    /**
     * Deletes every cached result of the function named {@code name} in this view's current tenant,
     * as {@link CachedFunction#cacheClear()} does; for a function cached in the master tenant call it
     * on {@code cache.masterTenant().functions()}.
     *
     * @return how many entries were deleted
     * @throws IllegalArgumentException if {@code name} is null, empty or has a colon
     */
    CompletableFuture<Long> cacheClear(String name);
}
