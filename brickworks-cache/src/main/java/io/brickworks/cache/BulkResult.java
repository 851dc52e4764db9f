package io.brickworks.cache;

import io.brickworks.cache.spi.CacheBackendException;
import java.util.Collections;
import java.util.Map;

/**
 * The outcome of a bulk call ({@link BrickworksCache#getMany}, {@link BrickworksCache#setMany},
 * {@link BrickworksCache#deleteMany}), key by key: every key of the call is either in
 * {@link #values()} (it succeeded) or in {@link #failures()} (it failed, and why), never in both;
 * a read leaves out of both the keys it found missing. A bulk call does not fail as a whole because
 * some of its keys failed: on a Redis Cluster with one node unreachable, the keys of the other nodes
 * still succeed.
 *
 * <p>Keys are the plain keys the caller gave (not the stored full keys), in the order of the call.
 * Immutable and thread-safe.
 *
 * @param <V> the value of a read (a string or bytes), or whether a write stored / a delete found the key
 */
public final class BulkResult<V> {

    private final Map<String, V> values;
    private final Map<String, CacheBackendException> failures;

    /**
     * @param values the keys that succeeded and their outcomes, in the order of the call (kept, not copied)
     * @param failures the keys that failed and why, in the order of the call (kept, not copied)
     */
    public BulkResult(Map<String, V> values, Map<String, CacheBackendException> failures) {
        this.values = Collections.unmodifiableMap(values);
        this.failures = Collections.unmodifiableMap(failures);
    }

    /**
     * The keys that succeeded, with their outcomes: for a read the value of every key found (a key that
     * is missing, expired or not a plain value is left out); for a write whether the value was stored
     * ({@code false} only when {@link SetOptions#ifAbsent()} found the key); for a delete whether the
     * key existed. Unmodifiable, in the order of the call.
     */
    public Map<String, V> values() {
        return values;
    }

    /** The keys that failed, each with why (the backend's failure); unmodifiable, in the order of the call. */
    public Map<String, CacheBackendException> failures() {
        return failures;
    }

    /** Whether any key failed. */
    public boolean hasFailures() {
        return !failures.isEmpty();
    }

    /**
     * {@link #values()} when no key failed.
     *
     * @throws CacheBackendException when some key failed: its message says how many failed and
     *     succeeded (a read's missing keys count as neither) and names the first failed key; the cause
     *     is the first failure
     */
    public Map<String, V> orThrow() {
        if (failures.isEmpty()) {
            return values;
        }
        Map.Entry<String, CacheBackendException> first = failures.entrySet().iterator().next();
        throw new CacheBackendException(failures.size() + " key(s) failed and " + values.size()
                + " succeeded; the first failed, " + first.getKey() + ": " + first.getValue().getMessage(),
                first.getValue());
    }

    @Override
    public String toString() {
        return "BulkResult{" + values.size() + " succeeded, " + failures.size() + " failed"
                + (failures.isEmpty() ? "" : ": " + failures.keySet()) + "}";
    }
}
