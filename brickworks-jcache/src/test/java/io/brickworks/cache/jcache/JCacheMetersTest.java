package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * Meters per cache come from Micrometer's own {@link JCacheMetrics}, which reads the provider's
 * statistics MXBean: {@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.removals},
 * {@code cache.evictions} and {@code cache.size}, tagged with the cache's name, as for any JCache
 * provider (and as Spring Boot binds them for a {@code JCacheCacheManager}).
 */
class JCacheMetersTest {

    @Test
    void micrometersJCacheBinderCountsHitsMissesPutsAndRemovalsPerCache() {
        CachingProvider provider = Caching.getCachingProvider(BrickworksCachingProvider.class.getName());
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), getClass().getClassLoader());
        try {
            Cache<String, String> orders = manager.createCache("orders-meters",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                            .setStatisticsEnabled(true));
            Cache<String, String> other = manager.createCache("other-meters",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                            .setStatisticsEnabled(true));
            MeterRegistry registry = new SimpleMeterRegistry();
            JCacheMetrics.monitor(registry, orders);
            JCacheMetrics.monitor(registry, other);

            orders.put("a", "1");
            orders.put("b", "2");
            orders.get("a");
            orders.get("a");
            orders.get("missing");
            orders.remove("b");
            other.get("nothing");

            assertThat(count(registry, "cache.gets", "orders-meters", "hit")).isEqualTo(2);
            assertThat(count(registry, "cache.gets", "orders-meters", "miss")).isEqualTo(1);
            assertThat(registry.get("cache.puts").tag("cache", "orders-meters").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("cache.removals").tag("cache", "orders-meters").gauge().value()).isEqualTo(1);
            assertThat(count(registry, "cache.gets", "other-meters", "miss")).as("per cache").isEqualTo(1);
            assertThat(count(registry, "cache.gets", "other-meters", "hit")).isZero();
        } finally {
            manager.close();
        }
    }

    private static double count(MeterRegistry registry, String name, String cache, String result) {
        return registry.get(name).tag("cache", cache).tag("result", result).functionCounter().count();
    }
}
