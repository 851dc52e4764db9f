package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.micrometer.BrickworksCacheMetrics;
import io.brickworks.cache.tck.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition, property, back-off and failure message of the auto-configuration. */
class BrickworksCacheAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BrickworksCacheAutoConfiguration.class,
                    BrickworksBoot4ConnectionDetailsAutoConfiguration.class,
                    BrickworksBoot35ConnectionDetailsAutoConfiguration.class, BrickworksBoot4HealthAutoConfiguration.class,
                    BrickworksBoot35HealthAutoConfiguration.class, bootsCacheAutoConfiguration()));

    /** Boot's own cache auto-configuration, whose package differs between Boot 3.5 and 4. */
    static Class<?> bootsCacheAutoConfiguration() {
        return firstPresent("org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
                "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration");
    }

    /** The first of {@code names} (one class in each Boot line's package) that is on the class path. */
    static Class<?> firstPresent(String... names) {
        for (String name : names) {
            try {
                // not initialised, as Boot loads auto-configurations: the other Boot line's classes
                // link only where their line's types are present
                return Class.forName(name, false, BrickworksCacheAutoConfigurationTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // the other line
            }
        }
        throw new IllegalStateException("none of " + List.of(names) + " is on the class path");
    }

    /** The messages of a startup failure and all its causes, one per line. */
    static String failureMessages(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    /** Runs with an application-defined memory cache, so that settings naming Redis connect nowhere. */
    private final ApplicationContextRunner settingsOnly = runner.withUserConfiguration(OwnCache.class);

    @Test
    void defaultsGiveAMemoryCacheClosedWithTheContext() {
        BrickworksCache[] seen = new BrickworksCache[1];
        runner.run(context -> {
            assertThat(context).hasSingleBean(BrickworksCache.class).hasSingleBean(CacheSettings.class);
            BrickworksCache cache = context.getBean(BrickworksCache.class);
            assertThat(cache.settings().useRedis()).isFalse();
            assertThat(cache.setKey("k", "v").join()).isTrue();
            seen[0] = cache;
        });
        assertThatThrownBy(() -> seen[0].setKey("k", "v")).hasMessageContaining("closed");
    }

    @Test
    void switchedOffByProperty() {
        runner.withPropertyValues("brickworks.cache.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(BrickworksCache.class).doesNotHaveBean(CacheSettings.class)
                .doesNotHaveBean("brickworksHealthIndicator"));
    }

    @Test
    void noCacheManagerWithoutEnableCaching() {
        runner.run(context -> assertThat(context).doesNotHaveBean(CacheManager.class));
    }

    @Test
    void cacheManagerWhenCachingIsEnabled() {
        runner.withUserConfiguration(Caching.class).run(context -> assertThat(context)
                .hasSingleBean(CacheManager.class).hasSingleBean(BrickworksCacheManager.class));
    }

    @Test
    void cacheManagerSwitchedOffByProperty() {
        runner.withUserConfiguration(Caching.class).withPropertyValues("brickworks.cache.spring.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(CacheManager.class)
                        .doesNotHaveBean(BrickworksCacheManager.class).hasSingleBean(BrickworksCache.class));
    }

    @Test
    void cacheManagerBacksOffForTheApplications() {
        runner.withUserConfiguration(Caching.class, OwnCacheManager.class).run(context -> assertThat(context)
                .hasSingleBean(CacheManager.class).doesNotHaveBean(BrickworksCacheManager.class));
    }

    @Test
    void cacheBacksOffForTheApplications() {
        settingsOnly.run(context -> assertThat(context.getBean(BrickworksCache.class))
                .isSameAs(context.getBean("ownCache")));
    }

    @Test
    void settingsBackOffForTheApplications() {
        runner.withUserConfiguration(OwnSettings.class).run(context -> {
            assertThat(context).hasSingleBean(CacheSettings.class);
            assertThat(context.getBean(BrickworksCache.class).settings().keyPrefix()).isEqualTo("own");
        });
    }

    @Test
    void tenantResolverBeanIsUsed() {
        runner.withUserConfiguration(AcmeTenant.class).withPropertyValues("brickworks.cache.multi-tenancy-enabled=true")
                .run(context -> assertThat(context.getBean(BrickworksCache.class).currentTenant()).isEqualTo("acme"));
    }

    @Test
    void healthIndicatorIsOnByDefaultAndSwitchedOffByProperty() {
        runner.run(context -> assertThat(context).hasBean("brickworksHealthIndicator"));
        runner.withPropertyValues("management.health.brickworks.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("brickworksHealthIndicator"));
    }

    @Test
    void healthReportsTheMemoryBackendUp() {
        runner.run(context -> {
            BrickworksHealth.Outcome outcome = new BrickworksHealth(context.getBean(BrickworksCache.class)).check();
            assertThat(outcome.up()).isTrue();
            assertThat(outcome.details()).containsEntry("backend", "memory");
        });
    }

    @Test
    void healthIsAPingThatReadsNoKeyAndReportsItsRoundTrip() {
        runner.run(context -> {
            BrickworksCache cache = context.getBean(BrickworksCache.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new BrickworksCacheMetrics(cache).bindTo(registry);
            BrickworksHealth.Outcome outcome = new BrickworksHealth(cache).check();
            assertThat(outcome.up()).isTrue();
            assertThat(outcome.details().get("roundTripMillis")).isInstanceOf(Double.class);
            assertThat(registry.find("brickworks.cache.gets").counters()).isEmpty();
            cache.close();
            BrickworksHealth.Outcome closed = new BrickworksHealth(cache).check();
            assertThat(closed.up()).isFalse();
            assertThat(closed.error()).isInstanceOf(IllegalStateException.class);
        });
    }

    // ------------------------------------------------------------------ properties and precedence

    @Test
    void everyCacheSettingsOptionHasAProperty() {
        settingsOnly.withPropertyValues("brickworks.cache.use-redis=true", "brickworks.cache.redis.host=redis.internal",
                "brickworks.cache.redis.port=6380", "brickworks.cache.redis.database=3",
                "brickworks.cache.redis.username=app", "brickworks.cache.redis.password=s3cret",
                "brickworks.cache.redis.ssl=true", "brickworks.cache.redis.ssl-ca-certificate=/etc/ca.pem",
                "brickworks.cache.redis.sentinel-master=primary", "brickworks.cache.redis.command-timeout=2s",
                "brickworks.cache.multi-tenancy-enabled=true", "brickworks.cache.master-tenant=root",
                "brickworks.cache.key-prefix=app", "brickworks.cache.default-expire=1h",
                "brickworks.cache.memory-maximum-entries=500", "brickworks.cache.function-cache-max-value-bytes=4096",
                "brickworks.cache.redis.near-cache.enabled=true", "brickworks.cache.redis.near-cache.namespaces=prices,FUNC_CACHE",
                "brickworks.cache.redis.near-cache.max-entries=2000",
                "brickworks.cache.redis.near-cache.staleness-bound=750ms").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isTrue();
            assertThat(s.redisHost()).isEqualTo("redis.internal");
            assertThat(s.redisPort()).isEqualTo(6380);
            assertThat(s.redisDb()).isEqualTo(3);
            assertThat(s.redisUsername()).isEqualTo("app");
            assertThat(s.redisPassword()).isEqualTo("s3cret");
            assertThat(s.redisSsl()).isTrue();
            assertThat(s.redisSslCaCertificate()).hasToString("/etc/ca.pem");
            assertThat(s.redisSentinelMaster()).isEqualTo("primary");
            assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.multiTenancyEnabled()).isTrue();
            assertThat(s.masterTenant()).isEqualTo("root");
            assertThat(s.keyPrefix()).isEqualTo("app");
            assertThat(s.defaultExpire()).isEqualTo(Duration.ofHours(1));
            assertThat(s.memoryMaximumEntries()).isEqualTo(500);
            assertThat(s.functionCacheMaxValueBytes()).isEqualTo(4096);
            assertThat(s.nearCache()).isTrue();
            assertThat(s.nearCacheNamespaces()).containsExactly("prices", "FUNC_CACHE");
            assertThat(s.nearCacheMaxEntries()).isEqualTo(2000);
            assertThat(s.nearCacheStalenessBound()).isEqualTo(Duration.ofMillis(750));
        });
        settingsOnly.withPropertyValues("brickworks.cache.redis.cluster-nodes=a:7000,b:7001").run(context -> assertThat(
                context.getBean(CacheSettings.class).redisClusterNodes()).hasToString("[a:7000, b:7001]"));
        settingsOnly.withPropertyValues("brickworks.cache.redis.sentinels=a:26379").run(context -> assertThat(
                context.getBean(CacheSettings.class).redisSentinels()).hasToString("[a:26379]"));
    }

    @Test
    void theOriginalsVariablesApplyWhenNothingElseIsSet() {
        settingsOnly.withPropertyValues("USE_REDIS=1", "REDIS_HOST=from-env", "REDIS_PORT=7000").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isTrue();
            assertThat(s.redisAddress()).isEqualTo("from-env:7000/0");
        });
    }

    @Test
    void bootsRedisPropertiesOverrideTheVariablesAndSwitchRedisOn() {
        settingsOnly.withPropertyValues("REDIS_HOST=from-env", "REDIS_PORT=7000", "spring.data.redis.host=from-boot",
                "spring.data.redis.database=2", "spring.data.redis.timeout=3s").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isTrue();
            assertThat(s.redisAddress()).isEqualTo("from-boot:7000/2");
            assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
        });
    }

    @Test
    void anExplicitUseRedisZeroKeepsTheMemoryBackendDespiteBootsRedis() {
        settingsOnly.withPropertyValues("USE_REDIS=0", "spring.data.redis.host=from-boot")
                .run(context -> assertThat(context.getBean(CacheSettings.class).useRedis()).isFalse());
    }

    @Test
    void brickworksPropertiesOverrideBootsAndTheVariables() {
        settingsOnly.withPropertyValues("USE_REDIS=1", "REDIS_HOST=from-env", "spring.data.redis.host=from-boot",
                "spring.data.redis.port=7001", "brickworks.cache.redis.host=from-brickworks",
                "brickworks.cache.use-redis=false").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isFalse();
            assertThat(s.redisAddress()).isEqualTo("from-brickworks:7001/0");
        });
    }

    @Test
    void bootsRedisUrl() {
        settingsOnly.withPropertyValues("spring.data.redis.url=rediss://app:pw@cache.internal:6390/4").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isTrue();
            assertThat(s.redisSsl()).isTrue();
            assertThat(s.redisAddress()).isEqualTo("cache.internal:6390/4");
            assertThat(s.redisUsername()).isEqualTo("app");
            assertThat(s.redisPassword()).isEqualTo("pw");
        });
    }

    @Test
    void bootsSentinelAndClusterNodes() {
        settingsOnly.withPropertyValues("spring.data.redis.sentinel.master=m", "spring.data.redis.sentinel.nodes=s1:26379,s2:26379")
                .run(context -> assertThat(context.getBean(CacheSettings.class).redisAddress())
                        .isEqualTo("sentinel master 'm' via [s1:26379, s2:26379]"));
        settingsOnly.withPropertyValues("spring.data.redis.cluster.nodes=n1:7000")
                .run(context -> assertThat(context.getBean(CacheSettings.class).redisAddress()).isEqualTo("cluster [n1:7000]"));
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aBadValueFailsStartupNamingThePropertyAndTheValue() {
        settingsOnly.withPropertyValues("brickworks.cache.redis.port=70000").run(context -> assertThat(
                failureMessages(context.getStartupFailure())).contains("brickworks.cache.redis.port = '70000'"));
        settingsOnly.withPropertyValues("brickworks.cache.redis.near-cache.staleness-bound=50ms").run(context -> assertThat(
                failureMessages(context.getStartupFailure())).contains("brickworks.cache.redis.near-cache.staleness-bound")
                .contains("PT0.05S").contains("at least 100 ms"));
        settingsOnly.withPropertyValues("REDIS_PORT=x").run(context -> assertThat(
                failureMessages(context.getStartupFailure())).contains("REDIS_PORT").contains("'x'"));
        settingsOnly.withPropertyValues("spring.data.redis.url=http://h:1").run(context -> assertThat(
                failureMessages(context.getStartupFailure())).contains("spring.data.redis.url"));
        settingsOnly.withPropertyValues("brickworks.cache.redis.cluster-nodes=a:1", "brickworks.cache.redis.sentinels=b:2")
                .run(context -> assertThat(failureMessages(context.getStartupFailure()))
                        .contains("brickworks.cache: conflicting settings").contains("redisClusterNodes"));
        runner.withUserConfiguration(Caching.class).withPropertyValues("brickworks.cache.spring.caches.books.expire=0s")
                .run(context -> assertThat(failureMessages(context.getStartupFailure()))
                        .contains("brickworks.cache.spring.caches.books: expire must be at least 1 ms but was PT0S"));
        runner.withUserConfiguration(Caching.class).withPropertyValues("brickworks.cache.spring.defaults.compute-lease=10ms")
                .run(context -> assertThat(failureMessages(context.getStartupFailure()))
                        .contains("brickworks.cache.spring.defaults: computeLease must be at least 100 ms but was PT0.01S"));
        runner.withUserConfiguration(Caching.class).withPropertyValues("brickworks.cache.spring.caches[a:b].max-wait=1s")
                .run(context -> assertThat(failureMessages(context.getStartupFailure()))
                        .contains("brickworks.cache.spring.caches"));
        settingsOnly.withPropertyValues("spring.data.redis.url=redis://:pa%ss@h:1/x").run(context -> assertThat(
                failureMessages(context.getStartupFailure())).contains("spring.data.redis.url").doesNotContain("pa%ss"));
    }

    @Test
    void anUnreachableRedisFailsStartupWithTheAddressAndNeverThePassword() {
        int port = RedisServer.freePort();
        runner.withPropertyValues("brickworks.cache.use-redis=true", "brickworks.cache.redis.host=127.0.0.1",
                "brickworks.cache.redis.port=" + port, "brickworks.cache.redis.password=hunter2-secret",
                "brickworks.cache.redis.command-timeout=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failureMessages(context.getStartupFailure())).contains("127.0.0.1:" + port)
                    .doesNotContain("hunter2-secret");
        });
    }

    // ------------------------------------------------------------------ configurations

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCacheManager {
        @Bean
        CacheManager ownCacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCache {
        @Bean(destroyMethod = "close")
        BrickworksCache ownCache() {
            return BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSettings {
        @Bean
        CacheSettings ownSettings() {
            return CacheSettings.builder().keyPrefix("own").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AcmeTenant {
        @Bean
        TenantResolver tenantResolver() {
            return () -> Optional.of("acme");
        }
    }

}
