package io.brickworks.cache.micrometer;

import io.brickworks.cache.BrickworksCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the meters of a {@link BrickworksCache} to a Micrometer {@link MeterRegistry} in one call:
 *
 * <pre>{@code
 * new BrickworksCacheMetrics(cache).bindTo(registry);
 * }</pre>
 *
 * The meters (names, tags, what each counts) are listed in the README's "Operations" section.
 * Names are tags, never keys: namespaces, queue names, lock names and function names. Queue and lock
 * names (and namespaces) can be dynamic, so at most {@link #maxNames(int) maxNames} distinct values
 * (default {@value #DEFAULT_MAX_NAMES}) per meter family become meters; events of later ones are
 * counted under the name {@value #OTHER}. Tenants are not a tag unless {@link #tenantTag(boolean)}
 * turns the tag on (then the cap counts tenant and name pairs).
 *
 * <p>{@link #bindTo} installs the meters as the cache's metrics hook
 * ({@link BrickworksCache#bindMetrics}), replacing the hook bound before: bind a cache to one
 * registry (use a {@code CompositeMeterRegistry} to publish to several). Immutable; the
 * {@code with}-style methods return a new binder.
 */
public final class BrickworksCacheMetrics implements MeterBinder {

    /** The default cap on distinct names per meter family. */
    public static final int DEFAULT_MAX_NAMES = 100;

    /** The tag value under which the events of names beyond the cap are counted. */
    public static final String OTHER = "_other";

    private final BrickworksCache cache;
    private final Tags tags;
    private final boolean tenantTag;
    private final int maxNames;

    /**
     * A binder for {@code cache} (any view of it: the hook covers the whole cache), without extra
     * tags, without the tenant tag and with the default cap.
     *
     * @throws IllegalArgumentException if {@code cache} is null
     */
    public BrickworksCacheMetrics(BrickworksCache cache) {
        this(check(cache), Tags.empty(), false, DEFAULT_MAX_NAMES);
    }

    private BrickworksCacheMetrics(BrickworksCache cache, Tags tags, boolean tenantTag, int maxNames) {
        this.cache = cache;
        this.tags = tags;
        this.tenantTag = tenantTag;
        this.maxNames = maxNames;
    }

    private static BrickworksCache check(BrickworksCache cache) {
        if (cache == null) {
            throw new IllegalArgumentException("cache must not be null");
        }
        return cache;
    }

    /** Tags added to every meter (say, which cache this is when an application has several). */
    public BrickworksCacheMetrics tags(Iterable<Tag> extra) {
        if (extra == null) {
            throw new IllegalArgumentException("tags must not be null");
        }
        return new BrickworksCacheMetrics(cache, tags.and(extra), tenantTag, maxNames);
    }

    /** Whether the key-value, queue and lock meters carry a {@code tenant} tag; off by default (cardinality). */
    public BrickworksCacheMetrics tenantTag(boolean on) {
        return new BrickworksCacheMetrics(cache, tags, on, maxNames);
    }

    /**
     * The most distinct names (or tenant and name pairs) per meter family; later ones are counted
     * under {@value #OTHER}.
     *
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public BrickworksCacheMetrics maxNames(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxNames must be at least 1 but was " + max);
        }
        return new BrickworksCacheMetrics(cache, tags, tenantTag, max);
    }

    /**
     * Registers the backend meters at once and the others on their first event, and makes them the
     * cache's metrics hook.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        cache.bindMetrics(new MicrometerCacheMetrics(registry, tags, tenantTag, maxNames));
    }
}
