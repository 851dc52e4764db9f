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

    /** The highest token before the takeover and the first after it, with the floor and without. */
    private record Outcome(long before, long after, long beforeUnfloored, long afterUnfloored) {
    }

    private static Outcome outcome;

    private static BrickworksCache cache(boolean floor) {
        CacheSettings settings = SharedTopologies.clusterSettings(cluster).commandTimeout(Duration.ofSeconds(2)).build();
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(floor);
        return BrickworksCache.builder().settings(settings).backend(backend).build();
    }

    private static String fence(String name) {
        return "brickworks:public:__locks__:" + name + ":fence";
    }

    /** A lock name {@code job-unfloored-<n>} whose counter {@code primary} serves. */
    private static String lockOnTheShardOf(RedisServer primary) {
        for (int i = 0; ; i++) {
            if (cluster.primaryFor(fence("job-unfloored-" + i)) == primary) {
                return "job-unfloored-" + i;
            }
        }
    }

    /**
     * One takeover for two caches side by side: one with the floor on lock {@code job}, one without
     * on a lock whose counter lives on the same shard, so that the one lagging replica missed the
     * acquisitions of both.
     */
    private static synchronized Outcome takeoverByALaggingReplica() throws Exception {
        if (outcome != null) {
            return outcome;
        }
        try (BrickworksCache floored = cache(true); BrickworksCache withoutFloor = cache(false)) {
            RedisServer primary = cluster.primaryFor(fence("job"));
            String unfloored = lockOnTheShardOf(primary);
            RedisServer replica = cluster.replicaOf(primary);
            FencingProbe.draw(floored, "job", 5);
            FencingProbe.draw(withoutFloor, unfloored, 5);
            cluster.awaitReplicasCaughtUp();
            replica.cutReplication();
            long before = FencingProbe.draw(floored, "job", MISSED);
            long beforeUnfloored = FencingProbe.draw(withoutFloor, unfloored, MISSED);
            cluster.takeOver(replica);
            assertThat(cluster.primaryFor(fence("job"))).as("the lagging replica serves the counters").isSameAs(replica);
            outcome = new Outcome(before, FencingProbe.next(floored, "job"),
                    beforeUnfloored, FencingProbe.next(withoutFloor, unfloored));
            return outcome;
        }
    }

    @Test
    void aLaggingReplicaThatTakesOverDrawsAboveEveryToken() throws Exception {
        assertThat(takeoverByALaggingReplica().after()).isGreaterThan(takeoverByALaggingReplica().before());
    }

    @Test
    void negativeControlWithoutTheFloorTheTakeoverTurnsTokensBack() throws Exception {
        assertThat(takeoverByALaggingReplica().afterUnfloored()).as("the token on the new primary, without the floor")
                .isLessThan(takeoverByALaggingReplica().beforeUnfloored());
    }
}
