package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.metrics.NearCacheStats;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache on a Redis Cluster of its own (three primaries, one replica each), written by a
 * raw Lettuce cluster client (not this library): invalidation from every primary, no stale entry
 * after slots move and a primary fails over in the middle of the writes, and a paused primary (a
 * silent cut of its tracking connection: SIGSTOP) no longer served from the process within the
 * staleness bound. Each guarantee has its negative control here, with the protection turned off.
 */
class ClusterNearCacheTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration SLACK = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int KEYS = 60;

    private static RedisClusterHarness cluster;
    private static RedisClusterClient plainClient;
    private StatefulRedisClusterConnection<String, String> plainConnection;
    private RedisAdvancedClusterCommands<String, String> plain;
    private BrickworksCache cache;
    private NearCache near;
    /** How many entries the near cache held when {@link #writeAndReadWhile} looked for stale ones. */
    private int heldAfterTheQuietSecond;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterHarness.start();
        plainClient = RedisClusterClient.create(seeds());
        plainClient.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(1)).build()).build());
    }

    @AfterAll
    static void stopCluster() {
        plainClient.shutdown();
        cluster.close();
    }

    private static List<RedisURI> seeds() {
        List<RedisURI> seeds = new ArrayList<>();
        for (RedisServer node : cluster.nodes()) {
            // a command to a killed node fails after 2 s instead of Lettuce's default of 60 s
            seeds.add(RedisURI.builder().withHost(node.host()).withPort(node.port()).withTimeout(Duration.ofSeconds(2)).build());
        }
        return seeds;
    }

    @BeforeEach
    void open() {
        if (cluster.nodes().stream().anyMatch(n -> !n.isRunning())) {
            cluster.restartKilled();
        }
        cluster.awaitHealthy();
        cluster.flushAll();
        plainClient.refreshPartitions();
        plainConnection = plainClient.connect();
        plain = plainConnection.sync();
        cache = BrickworksCache.builder().settings(SharedTopologies.clusterSettings(cluster)
                .commandTimeout(Duration.ofSeconds(2)).nearCache(true).nearCacheStalenessBound(BOUND).build()).build();
        near = NearCacheTest.nearCacheOf(cache);
        await().atMost(WAIT).until(() -> near.isTracking() && near.trackedNodes() == 3);
    }

    @AfterEach
    void close() {
        cache.close();
        plainConnection.close();
    }

    private static String fullKey(String key) {
        return "brickworks:public:default:" + key;
    }

    /** Keys spread over the slots (so over every primary), held after one read each. */
    private void holdAll(String value) throws Exception {
        for (int k = 0; k < KEYS; k++) {
            plain.set(fullKey("k" + k), value);
        }
        await().atMost(WAIT).until(() -> {
            for (int k = 0; k < KEYS; k++) {
                cache.getKey("k" + k).get(5, TimeUnit.SECONDS);
            }
            return near.size() == KEYS;
        });
    }

    @Test
    void theKeysHeldAreSpreadOverEveryPrimary() throws Exception {
        holdAll("v");
        assertThat(near.snapshot().keySet().stream().map(SlotHash::getSlot)
                .map(slot -> plainConnection.getPartitions().getPartitionBySlot(slot).getNodeId()).distinct().count())
                .isEqualTo(3);
    }

    @Test
    void aRawClusterClientsWritesOnEveryPrimaryInvalidateTheHeldEntries() throws Exception {
        holdAll("old");
        for (int k = 0; k < KEYS; k++) {
            plain.set(fullKey("k" + k), "new");
        }
        await().atMost(WAIT).until(() -> near.size() == 0);
        for (int k = 0; k < KEYS; k++) {
            assertThat(cache.getKey("k" + k).get(5, TimeUnit.SECONDS)).isEqualTo("new");
        }
        await().atMost(WAIT).until(() -> near.size() == KEYS);
        for (int k = 0; k < KEYS; k++) {
            assertThat(cache.getKey("k" + k).get(5, TimeUnit.SECONDS)).isEqualTo("new"); // hits now
        }
        NearCacheStats stats = cache.nearCacheStats().orElseThrow();
        assertThat(stats.hits()).isGreaterThanOrEqualTo(KEYS);
        assertThat(stats.invalidations()).isGreaterThanOrEqualTo(KEYS);
        assertThat(stats.misses()).isGreaterThanOrEqualTo(2L * KEYS);
        assertThat(stats.tracking()).isTrue();
        assertThat(stats.millisSinceHeartbeat()).isLessThan(stats.stalenessBoundMillis());
    }

    @Test
    void negativeControlWithInvalidationsIgnoredTheOldValuesStayServed() throws Exception {
        near.invalidationsOff();
        holdAll("old");
        for (int k = 0; k < KEYS; k++) {
            plain.set(fullKey("k" + k), "new");
        }
        await().during(BOUND).atMost(BOUND.multipliedBy(3)).until(() -> staleEntries().size() == KEYS);
    }

    /**
     * Raw-client writers and near-cache readers at once, while slots move between primaries
     * ({@code redis-cli --cluster reshard}: {@code SETSLOT MIGRATING/IMPORTING}, {@code MIGRATE}),
     * a replica takes over from its primary ({@code CLUSTER FAILOVER}: the old primary, demoted,
     * keeps its connections), and then a primary is killed and its replica takes over: once every primary is tracked again,
     * the readers fill the near cache for a second more while the writers write; after a quiet
     * second, no held entry differs from the cluster.
     */
    @Test
    void noStaleEntryAfterAReshardAndAFailoverInTheMiddleOfForeignWrites() throws Exception {
        List<String> stale = writeAndReadWhile(() -> {
            cluster.moveSlots(300);
            manualFailover();
            cluster.killPrimaryAndAwaitFailover();
        });
        assertThat(stale).isEmpty();
        assertThat(heldAfterTheQuietSecond).isPositive(); // not empty by chance: there was something to be stale
        await().atMost(WAIT).until(() -> near.isTracking() && near.trackedNodes() == 3);
        holdAll("after");
        assertThat(staleEntries()).isEmpty();
    }

    /**
     * {@code CLUSTER FAILOVER} on a replica: its primary becomes a replica and keeps its
     * connections (the tracking one included), which the near cache must give up by itself.
     */
    private static void manualFailover() {
        RedisServer replica = cluster.replicas().get(0);
        replica.cli("CLUSTER", "FAILOVER");
        await("manual failover to " + replica.address()).atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.primaries().stream().anyMatch(p -> p.port() == replica.port()));
        cluster.awaitHealthy();
    }

    @Test
    void negativeControlWithInvalidationsIgnoredAReshardUnderForeignWritesLeavesStaleEntries() throws Exception {
        near.invalidationsOff();
        List<String> stale = writeAndReadWhile(() -> cluster.moveSlots(300));
        assertThat(stale).isNotEmpty();
    }

    /**
     * A slot is handed to another primary without {@code MIGRATE} ({@code SETSLOT ... IMPORTING}
     * and {@code MIGRATING}, a new value written on the new primary after {@code ASKING}, then
     * {@code SETSLOT ... NODE} there): the held entry of the old primary is dropped once that
     * primary's heartbeat shows the slot gone, and the new value is read from the new primary.
     */
    @Test
    void aSlotHandedOverToAnotherPrimaryIsDroppedFromTheProcess() throws Exception {
        String key = handOverTheSlotOfAHeldKey();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> !near.snapshot().containsKey(fullKey(key)));
        await().atMost(WAIT).until(() -> "new".equals(cache.getKey(key).get(5, TimeUnit.SECONDS)));
    }

    @Test
    void negativeControlWithSlotChecksOffAHandedOverSlotStaysServed() throws Exception {
        near.slotChecksOff();
        String key = handOverTheSlotOfAHeldKey();
        await().during(BOUND.multipliedBy(2)).atMost(BOUND.multipliedBy(4))
                .until(() -> "old".equals(cache.getKey(key).get(5, TimeUnit.SECONDS)));
    }

    /** Holds key "moved" with value "old", then hands its slot over to another primary, which gets "new". */
    private String handOverTheSlotOfAHeldKey() throws Exception {
        String key = "moved";
        plain.set(fullKey(key), "old");
        await().atMost(WAIT).until(() -> {
            cache.getKey(key).get(5, TimeUnit.SECONDS);
            return near.snapshot().containsKey(fullKey(key));
        });
        int slot = SlotHash.getSlot(fullKey(key));
        int fromPort = plainConnection.getPartitions().getPartitionBySlot(slot).getUri().getPort();
        RedisServer from = cluster.primaries().stream().filter(p -> p.port() == fromPort).findFirst().orElseThrow();
        RedisServer to = cluster.primaries().stream().filter(p -> p.port() != fromPort).findFirst().orElseThrow();
        String fromId = from.cli("CLUSTER", "MYID").trim();
        String toId = to.cli("CLUSTER", "MYID").trim();
        to.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", fromId);
        from.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", toId);
        io.lettuce.core.RedisClient direct = io.lettuce.core.RedisClient.create(RedisURI.create(to.host(), to.port()));
        try (var connection = direct.connect()) {
            connection.sync().asking();
            connection.sync().set(fullKey(key), "new");
        } finally {
            direct.shutdown();
        }
        to.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", toId);
        return key;
    }

    /**
     * One primary is paused (SIGSTOP): its tracking connection hears nothing, as under a silent
     * network cut. Within the bound, none of the keys that primary served is served from the
     * process any more (the whole near cache is emptied: a node's trouble empties it all).
     */
    @Test
    void aPausedPrimaryIsNoLongerServedFromTheProcessWithinTheBound() throws Exception {
        holdAll("v");
        RedisServer paused = cluster.primaries().get(0);
        signal("STOP", paused);
        try {
            await().atMost(BOUND.plus(SLACK)).pollInterval(Duration.ofMillis(10)).until(() -> near.size() == 0);
            // what the meters and the health details read: not tracking while one primary is not
            NearCacheStats stats = cache.nearCacheStats().orElseThrow();
            assertThat(stats.tracking()).isFalse();
            assertThat(stats.flushes()).isPositive();
            assertThat(stats.size()).isZero();
        } finally {
            signal("CONT", paused);
        }
        await().atMost(WAIT).until(() -> cache.nearCacheStats().orElseThrow().tracking());
    }

    @Test
    void negativeControlWithHeartbeatsOffAPausedPrimaryStaysServed() throws Exception {
        near.heartbeatsOff();
        holdAll("v");
        RedisServer paused = cluster.primaries().get(0);
        signal("STOP", paused);
        try {
            await().during(BOUND.multipliedBy(2)).atMost(BOUND.multipliedBy(4)).until(() -> near.size() == KEYS);
        } finally {
            signal("CONT", paused);
        }
    }

    private static void signal(String signal, RedisServer node) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
    }

    /**
     * Two raw-client writers and two near-cache readers run while {@code faults} runs, then stop;
     * after a quiet second, returns the held entries that differ from the cluster.
     */
    private List<String> writeAndReadWhile(ThrowingRunnable faults) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try (StatefulRedisClusterConnection<String, String> writer = plainClient.connect()) {
                    while (running.get()) {
                        int k = ThreadLocalRandom.current().nextInt(KEYS);
                        try {
                            writer.sync().set(fullKey("k" + k), Long.toString(System.nanoTime()));
                            writes.incrementAndGet();
                        } catch (RuntimeException nodeDown) {
                            pause(20);
                        }
                    }
                }
            }, "raw-cluster-writer-" + t));
            threads.add(new Thread(() -> {
                while (running.get()) {
                    int k = ThreadLocalRandom.current().nextInt(KEYS);
                    try {
                        cache.getKey("k" + k).get(5, TimeUnit.SECONDS);
                        reads.incrementAndGet();
                    } catch (Exception nodeDown) {
                        pause(20);
                    }
                }
            }, "near-reader-" + t));
        }
        threads.forEach(Thread::start);
        try {
            awaitProgress(writes, reads);
            faults.run();
            await().atMost(WAIT).until(() -> near.isTracking() && near.trackedNodes() == 3);
            awaitProgress(writes, reads); // the near cache fills again while the writers still write
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        pause(1000); // the quiet second
        plainClient.refreshPartitions();
        heldAfterTheQuietSecond = near.snapshot().size();
        return staleEntries();
    }

    /** The held entries whose value differs from the cluster's (read by the raw client). */
    private List<String> staleEntries() {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : near.snapshot().entrySet()) {
            String server = plain.get(e.getKey());
            String local = new String(e.getValue(), StandardCharsets.UTF_8);
            if (!local.equals(server)) {
                stale.add(e.getKey() + " holds '" + local + "', the cluster has '" + server + "'");
            }
        }
        return stale;
    }

    /** Waits until both the writers and the readers have done another 500 calls, however busy the machine. */
    private static void awaitProgress(AtomicLong writes, AtomicLong reads) {
        long w = writes.get();
        long r = reads.get();
        await().atMost(WAIT).until(() -> writes.get() - w >= 500 && reads.get() - r >= 500);
    }

    /** Paces the scenario (a retry after a node error, the quiet second); not a wait for a condition. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
