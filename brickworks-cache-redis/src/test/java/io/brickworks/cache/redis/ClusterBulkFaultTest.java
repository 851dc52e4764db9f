package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.BulkResult;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bulk call on a Cluster with one primary down and no replica to take over (the other nodes keep
 * serving their slots, {@code cluster-require-full-coverage no}): the keys of the live nodes succeed
 * and the keys of the dead node are reported one by one as failed, within the command timeout; the
 * call as a whole never fails. Negative control: with the bulk read planted to send one Lettuce
 * cluster {@code MGET} for all keys (which fails as a whole when one node fails), the same check fails.
 */
class ClusterBulkFaultTest {

    private static final int KEYS = 300;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static RedisClusterHarness cluster;
    /** Opened before the fault (a cache loads its scripts on every primary when it opens). */
    private static BrickworksCache cache;
    /** The same, with the bulk read planted to read every key in one call (the negative control). */
    private static BrickworksCache planted;
    /** The plain keys written before the fault, and those of them that lived on the killed primary. */
    private static final List<String> keys = new ArrayList<>();
    private static final Set<String> onDeadNode = new HashSet<>();
    /** The slots the killed primary served. */
    private static final Set<Integer> deadSlots = new HashSet<>();

    @BeforeAll
    static void writeThenKillOnePrimaryAndEveryReplica() throws Exception {
        cluster = RedisClusterHarness.start();
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("k-" + i);
            entries.put("k-" + i, "v-" + i);
        }
        cache = open();
        planted = open();
        RedisBackend backend = (RedisBackend) ((DefaultBrickworksCache) planted).backend();
        ((ClusterMultiKeyOps) backend.multiKeyOps()).failTogether = true;
        assertThat(cache.setMany(entries).get(10, TimeUnit.SECONDS).failures()).isEmpty();
        for (RedisServer node : cluster.nodes()) {
            node.cli("CONFIG", "SET", "cluster-require-full-coverage", "no");
        }
        RedisServer victim = cluster.primaries().get(0);
        for (String line : victim.cli("CLUSTER", "NODES").split("\\R")) {
            if (line.contains("myself")) {
                String[] fields = line.trim().split(" ");
                for (int f = 8; f < fields.length; f++) {
                    if (!fields[f].startsWith("[")) {
                        String[] range = fields[f].split("-");
                        int from = Integer.parseInt(range[0]);
                        int to = Integer.parseInt(range[range.length - 1]);
                        for (int slot = from; slot <= to; slot++) {
                            deadSlots.add(slot);
                        }
                    }
                }
            }
        }
        onDeadNode.addAll(onDeadNode("default"));
        for (String full : victim.cli("KEYS", "*").split("\\R")) {
            if (!full.isBlank()) {
                assertThat(onDeadNode).contains(full.substring(full.lastIndexOf(':') + 1));
            }
        }
        assertThat(onDeadNode).isNotEmpty().hasSizeLessThan(KEYS);
        for (RedisServer replica : cluster.replicas()) {
            replica.kill();
        }
        assertThat(cluster.killPrimary()).isEqualTo(victim);
    }

    /** The keys of {@link #keys} that live in a slot of the killed primary in {@code namespace}. */
    private static Set<String> onDeadNode(String namespace) {
        Set<String> dead = new HashSet<>();
        for (String k : keys) {
            if (deadSlots.contains(SlotHash.getSlot("brickworks:public:" + namespace + ":" + k))) {
                dead.add(k);
            }
        }
        return dead;
    }

    @AfterAll
    static void stopCluster() {
        if (cache != null) {
            cache.close();
            planted.close();
        }
        cluster.close();
    }

    private static BrickworksCache open() {
        return BrickworksCache.builder().settings(SharedTopologies.clusterSettings(cluster)
                .commandTimeout(COMMAND_TIMEOUT).build()).build();
    }

    @Test
    void aBulkReadReportsTheDeadNodesKeysAndServesTheOthers() throws Exception {
        assertPerKeyOutcomes(cache.getMany(keys).get(10, TimeUnit.SECONDS));
    }

    @Test
    void theBlockingViewReportsTheDeadNodesKeysInsteadOfTimingOut() {
        assertPerKeyOutcomes(cache.blocking().getMany(keys));
    }

    @Test
    void aBulkWriteWritesTheLiveNodesKeysAndReportsTheOthers() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String k : keys) {
            entries.put(k, "w-" + k);
        }
        BulkResult<Boolean> written = cache.setMany(entries, SetOptions.options().namespace("rewritten"))
                .get(10, TimeUnit.SECONDS);
        Set<String> dead = onDeadNode("rewritten");
        assertThat(written.failures().keySet()).isEqualTo(dead);
        assertThat(written.values()).hasSize(KEYS - dead.size()).doesNotContainValue(false);
        BulkResult<String> read = cache.getMany(written.values().keySet(), "rewritten").get(10, TimeUnit.SECONDS);
        for (String k : written.values().keySet()) {
            assertThat(read.values().get(k)).isEqualTo("w-" + k);
        }
        assertThatThrownBy(written::orThrow).isInstanceOf(CacheBackendException.class)
                .hasMessageContaining(dead.size() + " key(s) failed and " + (KEYS - dead.size()) + " succeeded");
    }

    @Test
    void negativeControlReadingAllKeysAsOneFailsTheCheck() throws Exception {
        BulkResult<String> read = planted.getMany(keys).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> assertPerKeyOutcomes(read)).isInstanceOf(AssertionError.class);
    }

    /** Every key of a live node read with its value; exactly the dead node's keys failed, each with a backend failure. */
    private static void assertPerKeyOutcomes(BulkResult<String> read) {
        assertThat(read.failures().keySet()).as("failed keys").isEqualTo(onDeadNode);
        assertThat(read.failures().values()).allMatch(f -> f instanceof CacheBackendException);
        assertThat(read.values()).hasSize(KEYS - onDeadNode.size());
        for (Map.Entry<String, String> e : read.values().entrySet()) {
            assertThat(e.getValue()).isEqualTo("v-" + e.getKey().substring(2));
        }
    }
}
