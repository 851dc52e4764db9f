package io.brickworks.cache.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The meters of one family by tenant and name, at most {@code max} of them: later tenant and name
 * pairs share one set of meters tagged {@link BrickworksCacheMetrics#OTHER}. A lookup of a known
 * pair allocates nothing. Without the tenant tag every tenant maps to one key.
 *
 * @param <T> the meters of one name (a holder of counters, timers, gauges)
 */
final class BoundedMeters<T> {

    /** The tenant key when tenants are not a tag. */
    private static final String ANY_TENANT = "";

    private final boolean byTenant;
    private final int max;
    /** Creates the meters of a tenant (null when not a tag) and a name. */
    private final BiFunction<String, String, T> create;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, T>> meters = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile T other;

    BoundedMeters(boolean byTenant, int max, BiFunction<String, String, T> create) {
        this.byTenant = byTenant;
        this.max = max;
        this.create = create;
    }

    T get(String tenant, String name) {
        ConcurrentHashMap<String, T> names = meters.get(byTenant ? tenant : ANY_TENANT);
        T found = names == null ? null : names.get(name);
        return found != null ? found : slow(tenant, name);
    }

    private T slow(String tenant, String name) {
        String key = byTenant ? tenant : ANY_TENANT;
        ConcurrentHashMap<String, T> names = meters.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        T made = names.computeIfAbsent(name, n -> {
            if (count.incrementAndGet() > max) {
                count.decrementAndGet();
                return null;
            }
            return create.apply(byTenant ? tenant : null, n);
        });
        return made != null ? made : other();
    }

    private T other() {
        T o = other;
        if (o == null) {
            synchronized (this) {
                o = other;
                if (o == null) {
                    o = create.apply(byTenant ? BrickworksCacheMetrics.OTHER : null, BrickworksCacheMetrics.OTHER);
                    other = o;
                }
            }
        }
        return o;
    }
}
