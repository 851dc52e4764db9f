package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code brickworks.cache.redis.connect-at-startup=false}: start while Redis is down, DOWN until it answers. */
class ConnectAtStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BrickworksCacheAutoConfiguration.class));

    @Test
    void startsWhileRedisIsDownAndConnectsWhenItAnswers() {
        int port = RedisServer.freePort();
        runner.withPropertyValues("brickworks.cache.use-redis=true", "brickworks.cache.redis.host=127.0.0.1",
                "brickworks.cache.redis.port=" + port, "brickworks.cache.redis.command-timeout=1s",
                "brickworks.cache.redis.connect-at-startup=false").run(context -> {
            assertThat(context).hasNotFailed();
            BrickworksCache cache = context.getBean(BrickworksCache.class);
            BrickworksHealth health = new BrickworksHealth(cache);
            assertThat(cache.settings().redisPort()).isEqualTo(port);
            assertThat(cache.getKey("k")).failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat().withCauseInstanceOf(CacheBackendException.class)
                    .withMessageContaining("127.0.0.1:" + port);
            BrickworksHealth.Outcome down = health.check();
            assertThat(down.up()).isFalse();
            assertThat(down.error()).hasMessageContaining("not connected to Redis at 127.0.0.1:" + port);

            try (RedisServer redis = RedisServer.startOnPort(port)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> health.check().up());
                assertThat(cache.setKey("k", "v").get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(redis.cli("GET", "brickworks:public:default:k")).isEqualTo("v");
            }
        });
    }
}
