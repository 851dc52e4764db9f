package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.FencingProbe;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens never go back on one Redis server or a primary and its replica: across a restart
 * without persistence, a restart from a stale snapshot (the counter comes back, behind), and the
 * split-brain case (a replica promoted by hand with {@code REPLICAOF NO ONE} while the old primary
 * still hands out tokens, then the old primary dies). Each fault is applied to real redis-server
 * processes; the negative controls run the same faults with the token floor off
 * ({@link RedisBackend#tokenFloor}) and see the token go back, so the checks can fail.
 */
class FencingRestartTest {

    private static final int MISSED = 200;

    static BrickworksCache cacheOn(RedisServer server, boolean floor) {
        CacheSettings settings = CacheSettings.builder().useRedis(true).redisHost(server.host()).redisPort(server.port())
                .commandTimeout(Duration.ofSeconds(2)).build();
        RedisBackend backend = (RedisBackend) RedisBackendBuilder.of(settings).build();
        backend.tokenFloor(floor);
        return BrickworksCache.builder().settings(settings).backend(backend).build();
    }

    @Test
    void aRestartWithoutPersistenceDoesNotTurnTokensBack() throws Exception {
        try (RedisServer redis = RedisServer.start(); BrickworksCache cache = cacheOn(redis, true)) {
            long before = FencingProbe.draw(cache, "job", 50);
            redis.kill();
            redis.restart();
            assertThat(redis.cli("EXISTS", "brickworks:public:__locks__:job:fence")).as("the counter is gone").isEqualTo("0");
            assertThat(FencingProbe.next(cache, "job")).isGreaterThan(before);
        }
    }

    /** The server saved a snapshot, handed out {@value #MISSED} more tokens, crashed and came back from the snapshot. */
    private static long[] restartFromStaleSnapshot(boolean floor) throws Exception {
        try (RedisServer redis = RedisServer.start(); BrickworksCache cache = cacheOn(redis, floor)) {
            FencingProbe.draw(cache, "job", 5);
            assertThat(redis.cli("SAVE")).isEqualTo("OK");
            long before = FencingProbe.draw(cache, "job", MISSED);
            redis.kill();
            redis.restart();
            assertThat(redis.cli("EXISTS", "brickworks:public:__locks__:job:fence")).as("the stale counter is back")
                    .isEqualTo("1");
            return new long[] {before, FencingProbe.next(cache, "job")};
        }
    }

    @Test
    void aRestartFromAStaleSnapshotDoesNotTurnTokensBack() throws Exception {
        long[] tokens = restartFromStaleSnapshot(true);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheFloorAStaleSnapshotTurnsTokensBack() throws Exception {
        long[] tokens = restartFromStaleSnapshot(false);
        assertThat(tokens[1]).as("the token after the restart, without the floor").isLessThan(tokens[0]);
    }

    /**
     * The split-brain case: the replica is promoted by hand while a client of the old primary goes
     * on taking the lock {@value #MISSED} times; then the old primary dies, and the next holder
     * takes the lock on the promoted replica.
     */
    private static long[] splitBrain(boolean floor) throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.startReplicaOf(primary);
             BrickworksCache onPrimary = cacheOn(primary, floor); BrickworksCache onReplica = cacheOn(replica, floor)) {
            FencingProbe.draw(onPrimary, "job", 5);
            Awaitility.await("replica caught up").atMost(Duration.ofSeconds(30))
                    .until(primary::replicasCaughtUp);
            replica.promote();
            long before = FencingProbe.draw(onPrimary, "job", MISSED);
            primary.kill();
            return new long[] {before, FencingProbe.next(onReplica, "job")};
        }
    }

    @Test
    void aReplicaPromotedWhileThePrimaryStillServedDrawsAboveEveryToken() throws Exception {
        long[] tokens = splitBrain(true);
        assertThat(tokens[1]).isGreaterThan(tokens[0]);
    }

    @Test
    void negativeControlWithoutTheFloorTheSplitBrainTurnsTokensBack() throws Exception {
        long[] tokens = splitBrain(false);
        assertThat(tokens[1]).as("the token on the promoted replica, without the floor").isLessThan(tokens[0]);
    }
}
