package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FencingProbe;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens never go back on a Redis Cluster when the replica of the shard that holds a lock's
 * fencing counter takes over ({@code CLUSTER FAILOVER TAKEOVER}) after it missed {@value #MISSED}
 * acquisitions: its replication link was cut while the primary went on serving. The negative
 * control runs the same takeover with the token floor off ({@link RedisBackend#tokenFloor}) and sees
 * the next token go back.
 */
class ClusterFencingTest {

    private static final int MISSED = 200;

    private static RedisClusterHarness cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterHarness.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static long[] takeoverByALaggingReplica(boolean floor) throws Exception {
        cluster.restartKilled();
        CacheSettings settings = SharedTopologies.clusterSettings(cluster).commandTimeout(Duration.ofSeconds(2)).build();
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(floor);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            String name = floor ? "job" : "job-unfloored";
            RedisServer primary = cluster.primaryFor("brickworks:public:__locks__:" + name + ":fence");
            RedisServer replica = cluster.replicaOf(primary);
            FencingProbe.draw(cache, name, 5);
            cluster.awaitReplicasCaughtUp();
            replica.cutReplication();
            long before = FencingProbe.draw(cache, name, MISSED);
            cluster.takeOver(replica);
            assertThat(cluster.primaryFor("brickworks:public:__locks__:" + name + ":fence"))
                    .as("the lagging replica serves the counter").isSameAs(replica);
            return new long[] {before, FencingProbe.next(cache, name)};
        }
    }

    @Test
    void aLaggingReplicaThatTakesOverDrawsAboveEveryToken() throws Exception {
        long[] tokens = takeoverByALaggingReplica(true);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheFloorTheTakeoverTurnsTokensBack() throws Exception {
        long[] tokens = takeoverByALaggingReplica(false);
        assertThat(tokens[1]).as("the token on the new primary, without the floor").isLessThan(tokens[0]);
    }
}
