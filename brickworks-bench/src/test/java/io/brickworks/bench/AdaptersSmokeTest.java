package io.brickworks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fast check that every adapter does what its case claims, against a harness redis-server: one
 * call each, checked with redis-cli. Measures nothing.
 */
class AdaptersSmokeTest {

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        BenchRedis.fill(redis.port());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void fillWritesEveryKeyWithTheValueAndAnExpiry() {
        assertThat(redis.cli("EXISTS", Keys.FULL[0], Keys.FULL[Keys.COUNT / 2], Keys.FULL[Keys.COUNT - 1])).isEqualTo("3");
        assertThat(Keys.FULL[Keys.COUNT - 1]).isEqualTo("brickworks:public:default:k09999");
        assertThat(redis.cli("GET", Keys.FULL[42])).isEqualTo(Keys.VALUE);
        assertThat(Keys.VALUE).hasSize(100);
        assertThat(Long.parseLong(redis.cli("PTTL", Keys.FULL[42]))).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"brickworks", "lettuce", "redisson"})
    void asyncClientsSetAndGetTheFullKey(String name) {
        try (AsyncKv kv = AsyncKv.create(name, redis.port())) {
            kv.set(7, name + "-value").toCompletableFuture().join();
            assertThat(redis.cli("GET", Keys.FULL[7])).isEqualTo(name + "-value");
            assertThat(Long.parseLong(redis.cli("PTTL", Keys.FULL[7]))).isPositive();
            assertThat(kv.get(7).toCompletableFuture().join()).isEqualTo(name + "-value");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jedis", "spring"})
    void syncPeersSetAndGetTheFullKey(String name) {
        try (SyncKv kv = SyncKv.create(name, redis.port())) {
            kv.set(8, name + "-value");
            assertThat(redis.cli("GET", Keys.FULL[8])).isEqualTo(name + "-value");
            assertThat(Long.parseLong(redis.cli("PTTL", Keys.FULL[8]))).isPositive();
            assertThat(kv.get(8)).isEqualTo(name + "-value");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"brickworks", "caffeine", "caffeine-expiring", "chm"})
    void memoryClientsAreFilledAndWritable(String name) {
        try (SyncKv kv = MemoryKv.create(name)) {
            assertThat(kv.get(Keys.COUNT - 1)).isEqualTo(Keys.VALUE);
            kv.set(3, "changed");
            assertThat(kv.get(3)).isEqualTo("changed");
        }
    }

    @Test
    void memoryBackendBelowTheApiStoresBytes() {
        try (SyncKv kv = MemoryKv.create("brickworks-spi")) {
            assertThat((byte[]) kv.get(Keys.COUNT - 1)).asString().isEqualTo(Keys.VALUE);
            kv.set(3, "changed");
            assertThat((byte[]) kv.get(3)).asString().isEqualTo("changed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"brickworks", "brickworks-handle", "redisson", "shedlock"})
    void lockClientsTakeAndReleaseTheLock(String name) {
        try (LockClient locks = LockClient.create(name, redis.port())) {
            locks.acquireAndRelease("smoke-" + name);
            locks.acquireAndRelease("smoke-" + name);
        }
        // the lock key itself is gone (Redisson leaves a short-lived unlock latch beside it)
        assertThat(redis.cli("KEYS", "*smoke-" + name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"brickworks", "redisson"})
    void queueClientsPopWhatTheyPushedFromTheSameList(String name) {
        try (QueueClient queue = QueueClient.create(name, redis.port())) {
            assertThat(queue.pushThenPop("item-" + name).toCompletableFuture().join()).isEqualTo("item-" + name);
        }
        assertThat(redis.cli("EXISTS", Keys.SCOPE + QueueClient.QUEUE)).isEqualTo("0");
    }

    @Test
    void indexListingFillsOnceAndListsEveryKey() {
        try (BrickworksCache cache = Clients.brickworksRedis(redis.port())) {
            String namespace = IndexListingBenchmark.fill(cache, 100);
            assertThat(IndexListingBenchmark.fill(cache, 100)).isEqualTo(namespace);
            assertThat(cache.listKeysByIndex(IndexListingBenchmark.INDEX, namespace).join())
                    .hasSize(100).contains(Keys.PLAIN[0], Keys.PLAIN[99]);
        }
    }

    @Test
    void unknownClientsAreRejected() {
        assertThatThrownBy(() -> AsyncKv.create("memcached", redis.port()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memcached");
    }

    @Test
    void roundTripsCountsClientCommandsBetweenItsMarkers() {
        RoundTrips.Count count = RoundTrips.count(redis.port(),
                () -> redis.cli("EVAL", "redis.call('GET', KEYS[1]); return redis.call('GET', KEYS[1])", "1",
                        Keys.FULL[1]));
        assertThat(count.clientCommands()).isEqualTo(1);
        assertThat(count.scriptCommands()).isEqualTo(2);
    }

    @Test
    void limitParsesRedisBenchmarkCsv() {
        String csv = "\"test\",\"rps\",\"avg_latency_ms\"\n\"SET\",\"81234.50\",\"0.5\"\n\"GET\",\"90000.00\",\"0.4\"\n";
        assertThat(Limit.parse(csv)).isEqualTo(Map.of("SET", 81234.5, "GET", 90000.0));
    }
}
