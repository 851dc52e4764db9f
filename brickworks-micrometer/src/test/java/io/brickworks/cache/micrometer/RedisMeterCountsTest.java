package io.brickworks.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.awaitility.Awaitility;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisMeterCountsTest extends MeterCountsContract {

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Override
    protected BrickworksCache newCache() {
        redis.flushAll();
        return BrickworksCache.builder().settings(settings().build()).build();
    }

    private static CacheSettings.Builder settings() {
        return CacheSettings.builder().useRedis(true).redisHost(redis.host()).redisPort(redis.port());
    }

    @Test
    void commandsAreTimedByKindAndARefusedCommandIsAFailure() throws Exception {
        new BrickworksCacheMetrics(cache).bindTo(registry);

        await(cache.setKey("k", "v"));
        await(cache.getKey("k"));
        await(cache.getKey("k"));
        assertThatThrownBy(() -> await(cache.pushToQueue("k", "x"))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CacheBackendException.class);

        assertThat(registry.get("brickworks.backend.commands").tags("command", "get").timer().count()).isEqualTo(2);
        assertThat(registry.get("brickworks.backend.commands").tags("command", "set").timer().count()).isEqualTo(1);
        assertThat(registry.get("brickworks.backend.commands").tags("command", "rpush").timer().count()).isEqualTo(1);
        assertThat(counter("brickworks.backend.failures", "cause", "refused")).isEqualTo(1);
        assertThat(counter("brickworks.backend.failures", "cause", "unreachable")).isZero();
        assertThat(counter("brickworks.backend.failures", "cause", "timeout")).isZero();
    }

    @Test
    void aCallWhileRedisIsDownIsAnUnreachableFailureAndTheReconnectIsCounted() throws Exception {
        RedisServer own = RedisServer.start();
        try (BrickworksCache c = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(own.host()).redisPort(own.port()).commandTimeout(Duration.ofSeconds(2)).build()).build()) {
            new BrickworksCacheMetrics(c).bindTo(registry);
            own.kill();
            assertThatThrownBy(() -> await(c.getKey("k"))).isInstanceOf(ExecutionException.class);
            assertThat(counter("brickworks.backend.failures", "cause", "unreachable")).isEqualTo(1);

            own.restart();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try {
                    await(c.ping());
                } catch (ExecutionException e) {
                    // not yet back
                }
                assertThat(counter("brickworks.backend.reconnects")).isEqualTo(1);
            });
        } finally {
            own.close();
        }
    }
}
