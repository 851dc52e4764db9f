package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application's Redis connection-details bean (as Testcontainers' {@code @ServiceConnection} makes)
 * feeds the settings. Each Boot line's test registers its line's bean type.
 */
abstract class RedisConnectionDetailsContract {

    /** Runs with an application-defined memory cache, so that settings naming Redis connect nowhere. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BrickworksCacheAutoConfiguration.class,
                    BrickworksBoot4ConnectionDetailsAutoConfiguration.class,
                    BrickworksBoot35ConnectionDetailsAutoConfiguration.class))
            .withBean("ownCache", BrickworksCache.class,
                    () -> BrickworksCache.builder().settings(CacheSettings.builder().build()).build());

    /** Adds a details bean: user "app", password "from-details", standalone details-host:7777, database 2. */
    protected abstract ApplicationContextRunner withStandaloneDetails(ApplicationContextRunner runner);

    /** Adds a details bean of a cluster with seeds n1:7000 and n2:7001. */
    protected abstract ApplicationContextRunner withClusterDetails(ApplicationContextRunner runner);

    @Test
    void theDetailsBeanSwitchesRedisOnAndOverridesBootsProperties() {
        withStandaloneDetails(runner).withPropertyValues("spring.data.redis.host=from-properties", "REDIS_PORT=1")
                .run(context -> {
                    CacheSettings s = context.getBean(CacheSettings.class);
                    assertThat(s.useRedis()).isTrue();
                    assertThat(s.redisAddress()).isEqualTo("details-host:7777/2");
                    assertThat(s.redisUsername()).isEqualTo("app");
                    assertThat(s.redisPassword()).isEqualTo("from-details");
                });
    }

    @Test
    void brickworksPropertiesStillWin() {
        withStandaloneDetails(runner).withPropertyValues("brickworks.cache.redis.host=mine",
                "brickworks.cache.use-redis=false").run(context -> {
            CacheSettings s = context.getBean(CacheSettings.class);
            assertThat(s.useRedis()).isFalse();
            assertThat(s.redisAddress()).isEqualTo("mine:7777/2");
        });
    }

    @Test
    void clusterDetails() {
        withClusterDetails(runner).run(context -> assertThat(context.getBean(CacheSettings.class).redisAddress())
                .isEqualTo("cluster [n1:7000, n2:7001]"));
    }
}
