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
 * ({@link RedisBackend#tokenFloor}) and see the token go back, so the checks can fail. Each fault
 * runs once, for a cache with the floor and one without side by side on two locks.
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

    /** The highest token before the fault and the first after it, with the floor and without. */
    private record Outcome(long before, long after, long beforeUnfloored, long afterUnfloored) {
    }

    private static Outcome staleSnapshot;
    private static Outcome splitBrain;

    /**
     * The server saved a snapshot, handed out {@value #MISSED} more tokens, crashed and came back
     * from the snapshot; for a cache with the floor and one without, side by side on two locks.
     */
    private static synchronized Outcome restartFromStaleSnapshot() throws Exception {
        if (staleSnapshot != null) {
            return staleSnapshot;
        }
        try (RedisServer redis = RedisServer.start(); BrickworksCache floored = cacheOn(redis, true);
             BrickworksCache withoutFloor = cacheOn(redis, false)) {
            FencingProbe.draw(floored, "job", 5);
            FencingProbe.draw(withoutFloor, "job-unfloored", 5);
            assertThat(redis.cli("SAVE")).isEqualTo("OK");
            long before = FencingProbe.draw(floored, "job", MISSED);
            long beforeUnfloored = FencingProbe.draw(withoutFloor, "job-unfloored", MISSED);
            redis.kill();
            redis.restart();
            assertThat(redis.cli("EXISTS", "brickworks:public:__locks__:job:fence")).as("the stale counter is back")
                    .isEqualTo("1");
            staleSnapshot = new Outcome(before, FencingProbe.next(floored, "job"),
                    beforeUnfloored, FencingProbe.next(withoutFloor, "job-unfloored"));
            return staleSnapshot;
        }
    }

    @Test
    void aRestartFromAStaleSnapshotDoesNotTurnTokensBack() throws Exception {
        assertThat(restartFromStaleSnapshot().after()).isGreaterThan(restartFromStaleSnapshot().before());
    }

    @Test
    void negativeControlWithoutTheFloorAStaleSnapshotTurnsTokensBack() throws Exception {
        assertThat(restartFromStaleSnapshot().afterUnfloored()).as("the token after the restart, without the floor")
                .isLessThan(restartFromStaleSnapshot().beforeUnfloored());
    }

    /**
     * The split-brain case: the replica is promoted by hand while clients of the old primary go on
     * taking the locks {@value #MISSED} times; then the old primary dies, and the next holders take
     * the locks on the promoted replica.
     */
    private static synchronized Outcome splitBrain() throws Exception {
        if (splitBrain != null) {
            return splitBrain;
        }
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.startReplicaOf(primary);
             BrickworksCache onPrimary = cacheOn(primary, true); BrickworksCache onReplica = cacheOn(replica, true);
             BrickworksCache onPrimaryWithoutFloor = cacheOn(primary, false);
             BrickworksCache onReplicaWithoutFloor = cacheOn(replica, false)) {
            FencingProbe.draw(onPrimary, "job", 5);
            FencingProbe.draw(onPrimaryWithoutFloor, "job-unfloored", 5);
            Awaitility.await("replica caught up").atMost(Duration.ofSeconds(30)).until(primary::replicasCaughtUp);
            replica.promote();
            long before = FencingProbe.draw(onPrimary, "job", MISSED);
            long beforeUnfloored = FencingProbe.draw(onPrimaryWithoutFloor, "job-unfloored", MISSED);
            primary.kill();
            splitBrain = new Outcome(before, FencingProbe.next(onReplica, "job"),
                    beforeUnfloored, FencingProbe.next(onReplicaWithoutFloor, "job-unfloored"));
            return splitBrain;
        }
    }

    @Test
    void aReplicaPromotedWhileThePrimaryStillServedDrawsAboveEveryToken() throws Exception {
        assertThat(splitBrain().after()).isGreaterThan(splitBrain().before());
    }

    @Test
    void negativeControlWithoutTheFloorTheSplitBrainTurnsTokensBack() throws Exception {
        assertThat(splitBrain().afterUnfloored()).as("the token on the promoted replica, without the floor")
                .isLessThan(splitBrain().beforeUnfloored());
    }
}
