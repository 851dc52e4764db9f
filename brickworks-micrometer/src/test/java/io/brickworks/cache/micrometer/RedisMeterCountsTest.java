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

    @Test
    void theNearCacheCountsHitsMissesInvalidationsAndFlushesAndShowsItsHeartbeat() throws Exception {
        try (BrickworksCache c = BrickworksCache.builder().settings(settings().nearCache(true)
                .nearCacheStalenessBound(Duration.ofSeconds(1)).build()).build()) {
            new BrickworksCacheMetrics(c).bindTo(registry);
            await(c.setKey("n", "1"));
            await(c.getKey("n"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                await(c.getKey("n"));
                return functionCounter("brickworks.nearcache.gets", "result", "hit") >= 1;
            });
            assertThat(functionCounter("brickworks.nearcache.gets", "result", "miss")).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("brickworks.nearcache.size").gauge().value()).isEqualTo(1);
            assertThat(registry.get("brickworks.nearcache.tracking").gauge().value()).isEqualTo(1);
            assertThat(registry.get("brickworks.nearcache.staleness.bound").timeGauge().value(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isEqualTo(1000);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("brickworks.nearcache.heartbeat.age")
                    .timeGauge().value(java.util.concurrent.TimeUnit.MILLISECONDS) < 1000);

            redis.cli("SET", "brickworks:public:default:n", "2");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> functionCounter("brickworks.nearcache.invalidations") >= 1);
            redis.cli("FLUSHALL");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> functionCounter("brickworks.nearcache.flushes") >= 1);
            assertThat(c.nearCacheStats()).hasValueSatisfying(s -> assertThat(s.flushes()).isGreaterThanOrEqualTo(1));
        }
    }
}
