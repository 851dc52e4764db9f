package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.tck.RedisClusterHarness;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A primary of a running cluster is killed: its replica takes over, the cache follows the new
 * topology without a restart, and every write issued meanwhile either succeeds (and is kept) or
 * fails with a clear exception.
 */
class ClusterFailoverTest {

    private static RedisClusterHarness cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterHarness.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void slotsMovingBetweenPrimariesAreFollowedWithoutARestart() throws Exception {
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(SharedTopologies.clusterSettings(cluster).build()).build()) {
            for (int i = 0; i < 300; i++) {
                assertThat(cache.setKey("moving-" + i, "v" + i, SetOptions.options().indices("moving"))
                        .get(10, TimeUnit.SECONDS)).isTrue();
            }
            FailoverProbe.Outcome outcome;
            try (FailoverProbe probe = new FailoverProbe(cache, 5)) {
                cluster.moveSlots(1000);
                outcome = probe.stopAndReport("slot move");
            }
            assertThat(outcome.failed()).as("writes that failed while slots moved").isZero();
            for (int i = 0; i < 300; i++) {
                assertThat(cache.getKey("moving-" + i).get(10, TimeUnit.SECONDS)).isEqualTo("v" + i);
            }
            assertThat(cache.listKeysByIndex("moving").get(10, TimeUnit.SECONDS)).hasSize(300);
            assertThat(cache.deleteKeysByIndex("moving").get(10, TimeUnit.SECONDS)).isEqualTo(300L);
        }
    }

    @Test
    void theCacheKeepsServingThroughAPrimaryFailover() throws Exception {
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(SharedTopologies.clusterSettings(cluster).commandTimeout(Duration.ofSeconds(5)).build()).build()) {
            FailoverProbe.writeBefore(cache);
            cluster.awaitReplicasCaughtUp();

            RedisServer victim = cluster.killPrimary();
            FailoverProbe.Outcome outcome;
            try (FailoverProbe probe = new FailoverProbe(cache, 5)) {
                cluster.awaitFailoverFrom(victim);
                outcome = probe.stopAndReport("cluster failover");
            }
            FailoverProbe.assertNothingLostAndWritesResume(cache, outcome);
            for (int i = 0; i < 50; i++) {
                assertThat(cache.setKey("after-" + i, "v", SetOptions.options().indices("later"))
                        .get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(cache.listKeysByIndex("later").get(10, TimeUnit.SECONDS)).hasSize(50);
        }
    }
}
