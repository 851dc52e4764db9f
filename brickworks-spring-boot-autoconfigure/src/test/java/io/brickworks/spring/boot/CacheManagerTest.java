package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.spring.boot.replicas.Book;
import io.brickworks.spring.boot.replicas.ReplicaApplication;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * The cache manager: configured caches listed before their first use, {@code resetCaches()}, and the
 * public builder for applications with several cache managers.
 */
class CacheManagerTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ReplicaApplication.class);

    @Test
    void configuredCachesAreListedBeforeTheirFirstUse() {
        runner.withPropertyValues("brickworks.cache.spring.caches.reports.expire=1m",
                "brickworks.cache.spring.caches.prices.cache-nulls=false").run(context -> {
            CacheManager manager = context.getBean(CacheManager.class);
            assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("reports", "prices");
            manager.getCache("made-now");
            assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("reports", "prices", "made-now");
        });
    }

    @Test
    void resetCachesDeletesTheEntriesAndForgetsCachesMadeOnFirstUse() {
        runner.withPropertyValues("brickworks.cache.spring.caches.reports.expire=1m",
                "brickworks.cache.spring.transaction-aware=true").run(context -> {
            BrickworksCacheManager manager = context.getBean(BrickworksCacheManager.class);
            manager.getCache("reports").put("r1", "report");
            manager.getCache("made-now").put("m1", "made");
            manager.resetCaches();
            assertThat(manager.getCacheNames()).containsExactly("reports");
            assertThat(manager.getCache("reports").get("r1")).isNull();
            assertThat(manager.getCache("made-now").get("m1")).as("its entries are deleted too").isNull();
        });
    }

    @Test
    void theBuilderMakesManagersWithTheirOwnOptions() {
        try (BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build()) {
            BrickworksCacheProperties.Spring options = new BrickworksCacheProperties.Spring();
            options.getCaches().put("reports", new BrickworksCacheProperties.CacheOptions());
            options.getDefaults().setCacheNulls(false);
            BrickworksCacheManager manager = BrickworksCacheManager.builder(cache).options(options)
                    .allowedPackages(Book.class.getPackageName()).build();
            assertThat(manager.getCacheNames()).containsExactly("reports");
            Cache reports = manager.getCache("reports");
            reports.put("b1", new Book("b1", "title"));
            assertThat(reports.get("b1", Book.class)).as("an allowed class decodes").isEqualTo(new Book("b1", "title"));
            assertThatThrownBy(() -> reports.put("n", null)).as("the defaults apply")
                    .isInstanceOf(IllegalArgumentException.class);

            BrickworksCacheManager other = BrickworksCacheManager.builder(cache).build();
            assertThat(other.getCacheNames()).isEmpty();
            assertThat(other.getCache("reports").get("b1")).as("not an allowed class here: read as a miss").isNull();
        }
    }

    @Test
    void theBuilderRejectsBadInputNamingIt() {
        try (BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build()) {
            assertThatThrownBy(() -> BrickworksCacheManager.builder(null)).hasMessageContaining("cache");
            assertThatThrownBy(() -> BrickworksCacheManager.builder(cache).options(null)).hasMessageContaining("options");
            assertThatThrownBy(() -> BrickworksCacheManager.builder(cache).allowedPackages(" ").build())
                    .hasMessageContaining("allowed-packages");
            BrickworksCacheProperties.Spring options = new BrickworksCacheProperties.Spring();
            BrickworksCacheProperties.CacheOptions bad = new BrickworksCacheProperties.CacheOptions();
            bad.setExpire(Duration.ofMillis(-1));
            options.getCaches().put("reports", bad);
            assertThatThrownBy(() -> BrickworksCacheManager.builder(cache).options(options).build())
                    .hasMessageContaining("brickworks.cache.spring.caches.reports").hasMessageContaining("expire");
        }
    }
}
