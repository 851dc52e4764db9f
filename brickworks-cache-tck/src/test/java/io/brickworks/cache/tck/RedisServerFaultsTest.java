package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Redis-side faults of the harness do what their tests rely on: a restart keeps what the AOF
 * holds and nothing otherwise, a paused server answers nothing until resumed, {@code CLIENT KILL}
 * closes connections of its type, {@code FLUSHDB}/{@code SWAPDB} change data without a write to
 * the key, and a cut replica stops receiving until healed.
 */
class RedisServerFaultsTest {

    @Test
    void aRestartKeepsWhatTheAofHoldsAndNothingWithoutIt() {
        try (RedisServer aof = RedisServer.startWithAof(); RedisServer plain = RedisServer.start()) {
            for (RedisServer s : new RedisServer[] {aof, plain}) {
                assertThat(s.cli("SET", "k", "v")).isEqualTo("OK");
                s.kill();
                s.restart();
            }
            assertThat(aof.cli("GET", "k")).isEqualTo("v");
            assertThat(plain.cli("GET", "k")).isEmpty();
        }
    }

    @Test
    void pauseDebugSleepClientKillFlushAndSwap() {
        try (RedisServer s = RedisServer.start()) {
            s.pause();
            assertThat(s.ping()).as("a paused server answers nothing").isFalse();
            s.resume();
            assertThat(s.ping()).isTrue();

            s.debugSleep(Duration.ofMillis(100));
            assertThat(s.ping()).isTrue();

            assertThat(s.clientKill("pubsub")).as("no subscriber connected").isZero();
            assertThat(s.clientKill("normal")).as("none but the redis-cli that sends it, which is spared").isZero();

            s.cli("SET", "a", "1");
            s.swapDb(0, 1);
            assertThat(s.cli("GET", "a")).isEmpty();
            assertThat(s.cli("-n", "1", "GET", "a")).isEqualTo("1");
            s.swapDb(0, 1);
            s.flushDb();
            assertThat(s.cli("DBSIZE")).isEqualTo("0");
        }
    }

    @Test
    void aCutReplicaMissesWritesUntilHealedAndAPromotedOneTakesWrites() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.startReplicaOf(primary)) {
            assertThat(replica.clientKill("master")).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(replica::linkUp);
            replica.cutReplication();
            primary.cli("SET", "missed", "1");
            assertThat(replica.cli("GET", "missed")).as("the lagging replica did not get it").isEmpty();
            assertThat(replica.isRunning()).isTrue();
            replica.healReplication();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> "1".equals(replica.cli("GET", "missed")));
            replica.promote();
            assertThat(replica.cli("SET", "own", "1")).isEqualTo("OK");
        }
    }
}
