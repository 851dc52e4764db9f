package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BlockingBrickworksCache;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache against a redis-server of its own: hits served from the process, invalidation by
 * writes of a plain client (the way the Python original writes), the in-flight race, and zero stale
 * entries after {@code FLUSHALL}, {@code CLIENT KILL} and a restart in the middle of concurrent
 * writing and reading.
 */
class NearCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A script that keeps the server busy for half a second: commands sent meanwhile wait in its queue. */
    private static final String BUSY_HALF_A_SECOND = "local t = redis.call('TIME'); local start = t[1] * 1000000 + t[2]; "
            + "local n = 0; repeat t = redis.call('TIME'); n = n + 1 until t[1] * 1000000 + t[2] - start > 500000; return n";

    private static RedisServer redis;
    private static RedisClient plainClient;
    private StatefulRedisConnection<String, String> plainConnection;
    private RedisCommands<String, String> plain;
    private BrickworksCache cache;
    private BlockingBrickworksCache blocking;
    private NearCache near;

    @BeforeAll
    static void startServer() {
        redis = RedisServer.start();
        plainClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    }

    @AfterAll
    static void stopServer() {
        plainClient.shutdown();
        redis.close();
    }

    @BeforeEach
    void open() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        redis.flushAll();
        plainConnection = plainClient.connect();
        plain = plainConnection.sync();
        cache = BrickworksCache.builder().settings(settings().build()).build();
        blocking = cache.blocking();
        near = nearCacheOf(cache);
    }

    @AfterEach
    void close() {
        cache.close();
        plainConnection.close();
    }

    private static CacheSettings.Builder settings() {
        return CacheSettings.builder().useRedis(true).redisHost(redis.host()).redisPort(redis.port())
                .commandTimeout(Duration.ofSeconds(2)).nearCache(true);
    }

    static NearCache nearCacheOf(BrickworksCache cache) {
        return ((RedisBackend) ((DefaultBrickworksCache) cache).backend()).nearCache();
    }

    private static String fullKey(String key) {
        return "brickworks:public:default:" + key;
    }

    /** The held entries whose value differs from the server's (the server read by a plain client). */
    private List<String> staleEntries() {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : near.snapshot().entrySet()) {
            String server = plain.get(e.getKey());
            String local = new String(e.getValue(), java.nio.charset.StandardCharsets.UTF_8);
            if (!local.equals(server)) {
                stale.add(e.getKey() + " holds '" + local + "', Redis has '" + server + "'");
            }
        }
        return stale;
    }

    @Test
    void aReadKeyIsServedFromTheProcessUntilAPlainClientWritesIt() {
        blocking.setKey("price", "10");
        assertThat(blocking.getKey("price")).isEqualTo("10");
        assertThat(near.snapshot()).containsKey(fullKey("price"));

        plain.set(fullKey("price"), "11");
        await().atMost(WAIT).until(() -> !near.snapshot().containsKey(fullKey("price")));
        assertThat(blocking.getKey("price")).isEqualTo("11");
        assertThat(near.snapshot()).containsKey(fullKey("price"));

        plain.del(fullKey("price"));
        await().atMost(WAIT).until(() -> blocking.getKey("price") == null);
    }

    @Test
    void theWritersOwnProcessSeesItsWritesAtOnce() {
        blocking.setKey("k", "1");
        assertThat(blocking.getKey("k")).isEqualTo("1");
        blocking.setKey("k", "2");
        assertThat(blocking.getKey("k")).isEqualTo("2");
        blocking.deleteKey("k");
        assertThat(blocking.getKey("k")).isNull();
    }

    @Test
    void anEntryIsNeverServedPastItsRedisTtl() {
        blocking.setKey("short", "v", SetOptions.options().expire(Duration.ofMillis(300)));
        assertThat(blocking.getKey("short")).isEqualTo("v");
        await().atMost(WAIT).until(() -> blocking.getKey("short") == null);
    }

    @Test
    void onlyTheListedNamespacesAreHeld() {
        try (BrickworksCache listed = BrickworksCache.builder()
                .settings(settings().nearCacheNamespaces(List.of("hot")).build()).build()) {
            listed.blocking().setKey("a", "1", SetOptions.options().namespace("hot"));
            listed.blocking().setKey("a", "1", SetOptions.options().namespace("cold"));
            assertThat(listed.blocking().getKey("a", "hot")).isEqualTo("1");
            assertThat(listed.blocking().getKey("a", "cold")).isEqualTo("1");
            assertThat(nearCacheOf(listed).snapshot()).containsOnlyKeys("brickworks:public:hot:a");
        }
    }

    /**
     * A plain client's script holds the server, so the near cache's read waits in the server's queue;
     * the invalidation (the path a pushed one takes) arrives before the read's reply and must win.
     * Tried until the read was seen still in flight at the invalidation (the script may start late
     * on a loaded machine), at most five times.
     */
    @Test
    void anInvalidationWhileTheFillingReadIsInFlightWins() throws Exception {
        plain.set(fullKey("race"), "old");
        boolean raced = false;
        try (StatefulRedisConnection<String, String> sleeper = plainClient.connect()) {
            for (int attempt = 0; attempt < 5 && !raced; attempt++) {
                CompletableFuture<Object> busy = sleeper.async()
                        .eval(BUSY_HALF_A_SECOND, io.lettuce.core.ScriptOutputType.INTEGER).toCompletableFuture();
                sleepQuietly(100);
                CompletableFuture<String> read = cache.getKey("race");
                near.invalidate(fullKey("race"));
                raced = !read.isDone();
                busy.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("old");
                if (raced) {
                    assertThat(near.snapshot()).doesNotContainKey(fullKey("race"));
                } else {
                    near.invalidate(fullKey("race"));
                }
            }
        }
        assertThat(raced).as("the read was in flight at the invalidation in one of five attempts").isTrue();
        assertThat(blocking.getKey("race")).isEqualTo("old");
        assertThat(near.snapshot()).containsKey(fullKey("race"));
    }

    @Test
    void flushAllEmptiesTheNearCache() {
        for (int i = 0; i < 20; i++) {
            blocking.setKey("f" + i, "v");
            blocking.getKey("f" + i);
        }
        assertThat(near.size()).isEqualTo(20);
        plain.flushall();
        await().atMost(WAIT).until(() -> near.size() == 0);
        assertThat(blocking.getKey("f1")).isNull();
    }

    @Test
    void aKilledTrackingConnectionEmptiesTheNearCacheAndTrackingComesBack() {
        blocking.setKey("k", "1");
        blocking.getKey("k");
        assertThat(near.size()).isEqualTo(1);
        plain.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
        await().atMost(WAIT).until(() -> near.size() == 0 || !near.isTracking());
        plain.set(fullKey("k"), "2");
        await().atMost(WAIT).until(() -> near.isTracking() && "2".equals(blocking.getKey("k")));
        assertThat(staleEntries()).isEmpty();
    }

    /**
     * Plain-client writers and near-cache readers at once, with a {@code FLUSHALL}, a
     * {@code CLIENT KILL} and a restart of Redis in the middle: after one second of quiet, no held
     * entry differs from Redis.
     */
    @Test
    void zeroStaleEntriesAfterFlushKillAndRestartUnderLoad() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try (StatefulRedisConnection<String, String> writer = plainClient.connect()) {
                    while (running.get()) {
                        int k = ThreadLocalRandom.current().nextInt(50);
                        try {
                            writer.sync().set(fullKey("r" + k), Long.toString(System.nanoTime()));
                        } catch (RuntimeException redisDown) {
                            sleepQuietly(20);
                        }
                    }
                } catch (RuntimeException cannotConnect) {
                    // Redis was down at the moment this writer started
                }
            }, "plain-writer-" + t));
            threads.add(new Thread(() -> {
                while (running.get()) {
                    int k = ThreadLocalRandom.current().nextInt(50);
                    try {
                        cache.getKey("r" + k).get(5, TimeUnit.SECONDS);
                    } catch (Exception redisDown) {
                        sleepQuietly(20);
                    }
                }
            }, "near-reader-" + t));
        }
        threads.forEach(Thread::start);
        try {
            sleepQuietly(1500);
            plain.flushall();
            sleepQuietly(1500);
            plain.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
            sleepQuietly(1500);
            redis.restart();
            sleepQuietly(2000);
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        sleepQuietly(1000);
        plainConnection.close();
        plainConnection = plainClient.connect();
        plain = plainConnection.sync();
        assertThat(staleEntries()).isEmpty();
        await().atMost(WAIT).until(near::isTracking);
        for (int k = 0; k < 50; k++) {
            cache.getKey("r" + k).get(5, TimeUnit.SECONDS);
        }
        assertThat(near.size()).isPositive();
        assertThat(staleEntries()).isEmpty();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
