package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FencingProbe;
import io.brickworks.cache.tck.RedisSentinelHarness;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens never go back across a Sentinel failover to a replica that lagged: the replica
 * stops receiving replication (it stays up and visible to the Sentinels) while the primary hands out
 * {@value #MISSED} more tokens; then the primary is killed, the Sentinels promote the lagging
 * replica, and the cache follows them to it. The negative control runs the same failover with the
 * token floor off ({@link RedisBackend#tokenFloor}) and sees the next token go back.
 */
class SentinelFencingTest {

    private static final int MISSED = 200;

    private static RedisSentinelHarness sentinel;

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelHarness.start();
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    private static long[] failoverToALaggingReplica(boolean floor) throws Exception {
        sentinel.restartKilled();
        CacheSettings settings = SharedTopologies.sentinelSettings(sentinel).commandTimeout(Duration.ofSeconds(2)).build();
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(floor);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            String name = floor ? "job" : "job-unfloored";
            FencingProbe.draw(cache, name, 5);
            sentinel.awaitReplicaCaughtUp();
            RedisServer lagging = sentinel.lagReplica();
            long before = FencingProbe.draw(cache, name, MISSED);
            RedisServer victim = sentinel.killPrimaryAndAwaitFailover();
            assertThat(sentinel.primary()).as("the lagging replica was promoted").isSameAs(lagging).isNotSameAs(victim);
            return new long[] {before, FencingProbe.next(cache, name)};
        }
    }

    @Test
    void aLaggingReplicaPromotedBySentinelDrawsAboveEveryToken() throws Exception {
        long[] tokens = failoverToALaggingReplica(true);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheFloorTheFailoverTurnsTokensBack() throws Exception {
        long[] tokens = failoverToALaggingReplica(false);
        assertThat(tokens[1]).as("the token on the promoted replica, without the floor").isLessThan(tokens[0]);
    }
}
