package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisSentinelHarness;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache finds the primary through Sentinel; when the primary is killed and the Sentinels
 * promote the replica, the cache reconnects to it by itself, and every write issued meanwhile
 * either succeeds (and is kept) or fails with a clear exception.
 */
class SentinelFailoverTest {

    private static RedisSentinelHarness sentinel;

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelHarness.start();
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    @Test
    void theCacheFollowsTheSentinelsToThePromotedReplica() throws Exception {
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(SharedTopologies.sentinelSettings(sentinel).commandTimeout(Duration.ofSeconds(5)).build()).build()) {
            RedisServer first = sentinel.primary();
            FailoverProbe.writeBefore(cache);
            assertThat(first.cli("GET", "brickworks:public:default:before-7")).isEqualTo("v7");
            sentinel.awaitReplicaCaughtUp();

            RedisServer victim = sentinel.killPrimary();
            FailoverProbe.Outcome outcome;
            try (FailoverProbe probe = new FailoverProbe(cache, 5)) {
                sentinel.awaitFailoverFrom(victim);
                outcome = probe.stopAndReport("sentinel failover");
            }
            FailoverProbe.assertNothingLostAndWritesResume(cache, outcome);
            RedisServer promoted = sentinel.primary();
            assertThat(promoted).isNotSameAs(victim);
            assertThat(promoted.cli("GET", "brickworks:public:default:after")).isEqualTo("v");
        }
    }

    /**
     * A planned failover ({@code SENTINEL FAILOVER}) keeps the old primary running and turns it
     * into a replica: the cache must move to the new primary instead of writing to a read-only one.
     */
    @Test
    void aManualFailoverMovesTheCacheToTheNewPrimary() throws Exception {
        sentinel.restartKilled();
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(SharedTopologies.sentinelSettings(sentinel).commandTimeout(Duration.ofSeconds(5)).build())
                .build()) {
            assertThat(cache.setKey("before", "v").get(10, TimeUnit.SECONDS)).isTrue();
            RedisServer old = sentinel.primary();
            sentinel.awaitReplicaCaughtUp();
            sentinel.sentinelServers().get(0).cli("SENTINEL", "FAILOVER", RedisSentinelHarness.MASTER);
            Awaitility.await("promotion").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> sentinel.primary() != old && old.cli("INFO", "replication").contains("role:slave"));
            Awaitility.await("writes succeed on the new primary").atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> cache.setKey("after-manual", "v").get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) {
                assertThat(cache.setKey("after-" + i, "v").get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(sentinel.primary().cli("GET", "brickworks:public:default:after-19")).isEqualTo("v");
        }
    }
}
