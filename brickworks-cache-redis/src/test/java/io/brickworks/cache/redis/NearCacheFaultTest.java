package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FaultProxy;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache's staleness bound under the faults that break it, with a writer that is not this
 * library (a raw Lettuce client straight to redis-server) changing the value while the cache's own
 * connections go through a {@link FaultProxy}: a silent cut in each direction and in both, a
 * {@code SWAPDB}, a lost main connection. Each test asserts that the process stops serving the old
 * value within the bound (1 s here); the negative controls plant the bug (heartbeats off, the main
 * connection's loss ignored) and show that the same scenario then serves the stale value past it.
 */
class NearCacheFaultTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    /** Room for this process's timer to run late on a loaded machine; the bound itself is BOUND. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = "price";
    private static final String FULL_KEY = "brickworks:public:default:" + KEY;

    private static RedisServer redis;
    private static RedisClient plainClient;
    private StatefulRedisConnection<String, String> plainConnection;
    private RedisCommands<String, String> plain;
    private FaultProxy proxy;
    private BrickworksCache cache;
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
        redis.flushAll();
        plainConnection = plainClient.connect();
        plain = plainConnection.sync();
        proxy = FaultProxy.in(redis);
        cache = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true).redisHost(proxy.host())
                .redisPort(proxy.port()).commandTimeout(Duration.ofSeconds(1)).nearCache(true)
                .nearCacheStalenessBound(BOUND).build()).build();
        near = NearCacheTest.nearCacheOf(cache);
    }

    @AfterEach
    void close() {
        proxy.heal();
        cache.close();
        proxy.close();
        plainConnection.close();
    }

    /** Whether a read of KEY is answered from the process now (the tier the cache reads first). */
    private boolean servedFromProcess() {
        return near.tier().get(FULL_KEY) != null;
    }

    private String servedValue() {
        return near.snapshot().containsKey(FULL_KEY) ? new String(near.snapshot().get(FULL_KEY)) : null;
    }

    /** KEY written as "old" and read, so that the process holds it. */
    private void holdOldValue() throws Exception {
        cache.setKey(KEY, "old").get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> {
            cache.getKey(KEY).get(5, TimeUnit.SECONDS);
            return servedFromProcess();
        });
    }

    /** A silent cut in {@code direction}, then the raw client writes; returns how long the old value was served. */
    private long cutWriteAndAwaitNotServed(FaultProxy.Direction direction) throws Exception {
        holdOldValue();
        proxy.stop(direction);
        plain.set(FULL_KEY, "new");
        long writtenAt = System.nanoTime();
        await().atMost(BOUND.plus(SLACK)).pollInterval(Duration.ofMillis(10)).until(() -> !servedFromProcess());
        long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writtenAt);
        System.out.println("NearCacheFaultTest " + direction + ": the old value was served " + servedMillis
                + " ms after the write (bound " + BOUND.toMillis() + " ms)");
        // whichever way the cut goes, the heartbeat notices it within the bound
        await().atMost(BOUND.plus(SLACK)).pollInterval(Duration.ofMillis(10)).until(() -> !near.stats().tracking());
        proxy.heal();
        await().atMost(WAIT).until(() -> near.isTracking() && "new".equals(cache.getKey(KEY).get(5, TimeUnit.SECONDS)));
        return servedMillis;
    }

    @Test
    void aSilentCutBothWaysStopsServingWithinTheBound() throws Exception {
        cutWriteAndAwaitNotServed(FaultProxy.Direction.BOTH);
        assertThat(near.stats().flushes()).isGreaterThanOrEqualTo(1);
        assertThat(near.stats().trackingReconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSilentCutOfInvalidationsOnlyStopsServingWithinTheBound() throws Exception {
        cutWriteAndAwaitNotServed(FaultProxy.Direction.TO_CLIENT);
    }

    @Test
    void aSilentCutOfRequestsOnlyStopsServingWithinTheBound() throws Exception {
        cutWriteAndAwaitNotServed(FaultProxy.Direction.TO_SERVER);
    }

    @Test
    void negativeControlWithHeartbeatsOffASilentCutServesTheStaleValuePastTheBound() throws Exception {
        near.heartbeatsOff();
        holdOldValue();
        proxy.stop(FaultProxy.Direction.TO_CLIENT);
        plain.set(FULL_KEY, "new");
        await().during(BOUND.multipliedBy(2)).atMost(BOUND.multipliedBy(4))
                .until(() -> servedFromProcess() && "old".equals(servedValue()));
    }

    @Test
    void swapdbStopsServingWithinTheBound() throws Exception {
        // written before the read: Redis tracks key names whatever the database, so a write in db 1
        // after the read would itself invalidate the entry
        redis.cli("-n", "1", "SET", FULL_KEY, "swapped-in");
        holdOldValue();
        plain.swapdb(0, 1);
        await().atMost(BOUND.plus(SLACK)).pollInterval(Duration.ofMillis(10)).until(() -> !servedFromProcess());
        await().atMost(WAIT).until(() -> near.isTracking() && "swapped-in".equals(cache.getKey(KEY).get(5, TimeUnit.SECONDS)));
    }

    @Test
    void negativeControlWithHeartbeatsOffSwapdbServesTheStaleValuePastTheBound() throws Exception {
        near.heartbeatsOff();
        // written before the read: Redis tracks key names whatever the database, so a write in db 1
        // after the read would itself invalidate the entry
        redis.cli("-n", "1", "SET", FULL_KEY, "swapped-in");
        holdOldValue();
        plain.swapdb(0, 1);
        await().during(BOUND.multipliedBy(2)).atMost(BOUND.multipliedBy(4))
                .until(() -> "old".equals(cache.getKey(KEY).get(5, TimeUnit.SECONDS)));
    }

    /** The id of the cache's main connection: named like the others, without tracking (flag t). */
    private long mainConnectionId() {
        List<String> mine = Arrays.stream(plain.clientList().split("\n"))
                .filter(l -> l.contains("name=brickworks-cache") && !l.matches(".*flags=\\S*t.*")).toList();
        assertThat(mine).hasSize(1);
        String id = mine.get(0).replaceAll("^id=(\\d+).*", "$1");
        return Long.parseLong(id.trim());
    }

    @Test
    void aLostMainConnectionStopsServingUntilTrackingIsBack() throws Exception {
        holdOldValue();
        long reconnects = near.stats().trackingReconnects();
        plain.clientKill(io.lettuce.core.KillArgs.Builder.id(mainConnectionId()));
        await().atMost(WAIT).until(() -> !servedFromProcess());
        await().atMost(WAIT).until(() -> near.stats().trackingReconnects() > reconnects && near.isTracking());
        plain.set(FULL_KEY, "new");
        await().atMost(WAIT).until(() -> "new".equals(cache.getKey(KEY).get(5, TimeUnit.SECONDS)));
    }

    @Test
    void negativeControlWithTheMainConnectionIgnoredItsLossLeavesTheNearCacheServing() throws Exception {
        near.ignoreMainConnection();
        holdOldValue();
        long before = mainConnectionId();
        plain.clientKill(io.lettuce.core.KillArgs.Builder.id(before));
        // the main link noticed and reconnected: a write through it works again
        await().atMost(WAIT).until(() -> {
            try {
                cache.ping().get(5, TimeUnit.SECONDS);
                return mainConnectionId() != before;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(servedFromProcess()).isTrue();
        assertThat(near.stats().flushes()).isZero();
    }

    /** The established TCP connections to {@code port} as {@code ss} shows them, with their timers. */
    private static List<String> socketsTo(int port) throws Exception {
        Process p = new ProcessBuilder("ss", "-tnoH", "state", "established", "dport", "= :" + port)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    @Test
    void everyConnectionOfTheCacheProbesWithKeepAliveWithinSeconds() throws Exception {
        holdOldValue();
        List<String> cacheSockets = socketsTo(proxy.port());
        assertThat(cacheSockets).as("the main and the tracking connection").hasSizeGreaterThanOrEqualTo(2);
        // the kernel's keep-alive timer of an idle socket counts down from the idle time: 15 s, not 2 hours
        assertThat(cacheSockets).allSatisfy(l -> assertThat(l).containsPattern("timer:\\(keepalive,(\\d+(\\.\\d+)?m?s(ec)?),"));
        // negative control: the plain Lettuce client (keep-alive off by default) shows no keep-alive timer
        plain.ping();
        assertThat(socketsTo(redis.port())).anySatisfy(l -> assertThat(l).doesNotContain("keepalive"));
    }
}
