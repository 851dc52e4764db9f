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
 * Fencing tokens never go back across a Sentinel failover to a replica that missed
 * {@value #MISSED} acquisitions, in two ways: the replica lagged (it stopped receiving replication
 * but stayed up and visible to the Sentinels), or it was promoted by hand while the primary went on
 * serving (the split-brain case). Then the primary is killed, the Sentinels promote that replica, and
 * the caches follow them to it.
 *
 * <p>Each failover runs once, for two caches side by side on two locks: one with the token floor,
 * and the negative control with the floor off ({@link RedisBackend#tokenFloor}), which sees its next
 * token go back. So each fault costs one failover.
 */
class SentinelFencingTest {

    private static final int MISSED = 200;

    private static RedisSentinelHarness sentinel;
    private static Outcome lagging;
    private static Outcome splitBrain;

    /** The highest token before the fault and the first after it, with the floor and without. */
    private record Outcome(long before, long after, long beforeUnfloored, long afterUnfloored) {
    }

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
     * Takes each lock 5 times, lets the replica catch up, applies {@code split} (which makes the
     * replica miss what follows), takes each lock {@value #MISSED} more times on the primary, kills
     * it, and takes each lock once more after the Sentinels' failover.
     */
    private static Outcome missedThenFailover(Supplier<RedisServer> split) throws Exception {
        sentinel.restartKilled();
        try (BrickworksCache floored = cache(true); BrickworksCache unfloored = cache(false)) {
            FencingProbe.draw(floored, "job", 5);
            FencingProbe.draw(unfloored, "job-unfloored", 5);
            sentinel.awaitReplicaCaughtUp();
            RedisServer behind = split.get();
            long before = FencingProbe.draw(floored, "job", MISSED);
            long beforeUnfloored = FencingProbe.draw(unfloored, "job-unfloored", MISSED);
            RedisServer victim = sentinel.killPrimaryAndAwaitFailover();
            assertThat(sentinel.primary()).as("the replica that missed them was promoted").isSameAs(behind)
                    .isNotSameAs(victim);
            return new Outcome(before, FencingProbe.next(floored, "job"),
                    beforeUnfloored, FencingProbe.next(unfloored, "job-unfloored"));
        }
    }

    private static synchronized Outcome lagging() throws Exception {
        if (lagging == null) {
            lagging = missedThenFailover(sentinel::lagReplica);
        }
        return lagging;
    }

    private static synchronized Outcome splitBrain() throws Exception {
        if (splitBrain == null) {
            splitBrain = missedThenFailover(sentinel::promoteReplicaByHand);
        }
        return splitBrain;
    }

    @Test
    void aLaggingReplicaPromotedBySentinelDrawsAboveEveryToken() throws Exception {
        assertThat(lagging().after()).isGreaterThan(lagging().before());
    }

    @Test
    void negativeControlWithoutTheFloorTheFailoverTurnsTokensBack() throws Exception {
        assertThat(lagging().afterUnfloored()).as("the token on the promoted replica, without the floor")
                .isLessThan(lagging().beforeUnfloored());
    }

    @Test
    void aReplicaPromotedByHandWhileThePrimaryServedThenChosenBySentinelDrawsAboveEveryToken() throws Exception {
        assertThat(splitBrain().after()).isGreaterThan(splitBrain().before());
    }

    @Test
    void negativeControlWithoutTheFloorTheSplitBrainTurnsTokensBack() throws Exception {
        assertThat(splitBrain().afterUnfloored()).as("the token on the node promoted by hand, without the floor")
                .isLessThan(splitBrain().beforeUnfloored());
    }
}
