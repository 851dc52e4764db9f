package io.brickworks.cache.function;

/**
 * A snapshot of the counters of one cached function in this process, since it was wrapped. Every
 * call counts once as a hit or a miss.
 *
 * @param hits calls answered with a value found in the cache (including calls that joined a
 *     concurrent lookup of the same key in this process)
 * @param misses calls that found no usable value and got a computed one: computed here, by a
 *     concurrent caller in this process, or by another replica while this call waited
 * @param computations invocations of the function by this process (misses and early refreshes)
 * @param failures invocations of the function that failed (never cached)
 * @param decodeFailures cached values that could not be decoded, or were larger than
 *     {@code CacheSettings.functionCacheMaxValueBytes()} and so never decoded, and were deleted
 * @param earlyRefreshes background recomputations started before expiry (probabilistic early refresh)
 * @param waitTimeouts calls that stopped waiting for another replica's computation after the
 *     bounded wait and computed the value themselves
 * @param waits calls that waited for another caller's computation of their key: a concurrent
 *     caller in this process, or another replica holding the key's lease
 */
public record FunctionCacheStats(long hits, long misses, long computations, long failures, long decodeFailures,
                                 long earlyRefreshes, long waitTimeouts, long waits) {

    /** All calls: hits plus misses. */
    public long calls() {
        return hits + misses;
    }

    /** Hits divided by calls, 1.0 when there were no calls. */
    public double hitRate() {
        long calls = calls();
        return calls == 0 ? 1.0 : (double) hits / calls;
    }
}
