package io.brickworks.cache.function;

import io.brickworks.cache.spi.CacheBackendException;
import java.util.Collections;
import java.util.Map;

/**
 * What a bulk lookup of a cached function ({@link CachedFunction.Loading#getAllIfPresent}) found, per
 * argument set: the results present in {@link #values()}, the argument sets whose read failed in
 * {@link #failures()} (with why); an argument set in neither has no cached result. Both maps are
 * unmodifiable and in the order of the call.
 *
 * @param <R> the function's result type
 */
public record CachedResults<R>(Map<Arguments, R> values, Map<Arguments, CacheBackendException> failures) {

    /** Wraps both maps unmodifiable (kept, not copied). */
    public CachedResults {
        values = Collections.unmodifiableMap(values);
        failures = Collections.unmodifiableMap(failures);
    }

    /** Whether the read of any argument set failed. */
    public boolean hasFailures() {
        return !failures.isEmpty();
    }
}
