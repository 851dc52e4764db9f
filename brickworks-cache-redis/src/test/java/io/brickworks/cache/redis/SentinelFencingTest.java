package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FencingProbe;
import io.brickworks.cache.tck.RedisSentinelHarness;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens never go back across a Sentinel failover to a replica that lagged: the replica
 * stops receiving replication (it stays up and visible to the Sentinels) while the primary hands out
 * {@value #MISSED} more tokens; then the primary is killed, the Sentinels promote the lagging
 * replica, and the cache follows them to it. The negative control runs the same failover with the
 * token floor off ({@link RedisBackend#tokenFloor}) and sees the next token go back. The same
 * with the split-brain case: the replica promoted by hand while the primary goes on serving, then
 * the primary killed and the Sentinels failing over to the node promoted by hand.
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

    private static BrickworksCache cache(boolean floor) {
        CacheSettings settings = SharedTopologies.sentinelSettings(sentinel).commandTimeout(Duration.ofSeconds(2)).build();
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(floor);
        return BrickworksCache.builder().settings(settings).backend(backend).build();
    }

    /**
     * Takes the lock 5 times, lets the replica catch up, applies {@code split} (which makes the
     * replica miss what follows), takes the lock {@value #MISSED} more times on the primary, kills
     * it, and returns the highest token before and the first one after the Sentinels' failover.
     */
    private static long[] missedThenFailover(boolean floor, Supplier<RedisServer> split) throws Exception {
        sentinel.restartKilled();
        try (BrickworksCache cache = cache(floor)) {
            String name = floor ? "job" : "job-unfloored";
            FencingProbe.draw(cache, name, 5);
            sentinel.awaitReplicaCaughtUp();
            RedisServer behind = split.get();
            long before = FencingProbe.draw(cache, name, MISSED);
            RedisServer victim = sentinel.killPrimaryAndAwaitFailover();
            assertThat(sentinel.primary()).as("the replica that missed them was promoted").isSameAs(behind)
                    .isNotSameAs(victim);
            return new long[] {before, FencingProbe.next(cache, name)};
        }
    }

    private static long[] failoverToALaggingReplica(boolean floor) throws Exception {
        return missedThenFailover(floor, sentinel::lagReplica);
    }

    @Test
    void aReplicaPromotedByHandWhileThePrimaryServedThenChosenBySentinelDrawsAboveEveryToken() throws Exception {
        long[] tokens = missedThenFailover(true, sentinel::promoteReplicaByHand);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheFloorTheSplitBrainTurnsTokensBack() throws Exception {
        long[] tokens = missedThenFailover(false, sentinel::promoteReplicaByHand);
        assertThat(tokens[1]).as("the token on the node promoted by hand, without the floor").isLessThan(tokens[0]);
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
