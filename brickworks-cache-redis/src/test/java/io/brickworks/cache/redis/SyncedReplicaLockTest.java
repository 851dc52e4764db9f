package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Synced-replica locks on a primary with one replica: the work runs only once the replica has the
 * lock (checked on the replica itself from inside the work); with the replica stopped (SIGSTOP) or
 * lagging (its replication link cut), the acquisition fails cleanly and nothing is left held. The
 * negative control runs the lagging case without the option and sees the work run while the
 * replica does not have the lock, so the check inside the work can fail.
 */
class SyncedReplicaLockTest {

    private static final String LOCK_KEY = "brickworks:public:__locks__:job";

    private static RedisServer primary;
    private static RedisServer replica;
    private static BrickworksCache cache;

    @BeforeAll
    static void start() {
        primary = RedisServer.start();
        replica = RedisServer.startReplicaOf(primary);
        cache = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true).redisHost(primary.host())
                .redisPort(primary.port()).commandTimeout(Duration.ofSeconds(2)).build()).build();
    }

    @AfterAll
    static void stop() {
        cache.close();
        replica.close();
        primary.close();
    }

    /** Runs {@code options}' withLock and returns what the replica held under the lock key while the work ran. */
    private static CompletableFuture<String> replicaSeenByTheWork(LockOptions options, AtomicReference<String> seen) {
        return cache.withLock("job", options, () -> seen.set(replica.cli("GET", LOCK_KEY)))
                .thenApply(LockResult::status).thenApply(String::valueOf);
    }

    @Test
    void theWorkRunsOnlyOnceTheReplicaHasTheLock() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        String status = replicaSeenByTheWork(LockOptions.of(Duration.ofSeconds(10))
                .withSyncedReplicas(1, Duration.ofSeconds(5)), seen).get(20, TimeUnit.SECONDS);
        assertThat(status).isEqualTo("COMPLETED");
        assertThat(seen.get()).as("the replica's copy of the lock while the work ran").isNotEmpty();
    }

    @Test
    void aStoppedReplicaFailsTheAcquisitionCleanly() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        replica.pause();
        try {
            CompletableFuture<String> result = replicaSeenByTheWork(LockOptions.of(Duration.ofSeconds(10))
                    .withSyncedReplicas(1, Duration.ofMillis(500)), seen);
            assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CacheBackendException.class)
                    .hasMessageContaining("only 0 of 1 replica(s) acknowledged it");
            assertThat(seen.get()).as("the work did not run").isNull();
            assertThat(primary.cli("EXISTS", LOCK_KEY)).as("nothing held on the primary").isEqualTo("0");
        } finally {
            replica.resume();
        }
        assertThat(cache.tryLock("job", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS)).hasValueSatisfying(h -> h.release());
    }

    /** The lagging replica: up and readable, but receiving nothing from the primary. */
    private static String lockOnReplicaWhileLagging(LockOptions options) throws Exception {
        replica.cutReplication();
        try {
            AtomicReference<String> seen = new AtomicReference<>("the work did not run");
            try {
                replicaSeenByTheWork(options, seen).get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e).hasCauseInstanceOf(CacheBackendException.class);
                assertThat(primary.cli("EXISTS", LOCK_KEY)).as("nothing held on the primary").isEqualTo("0");
            }
            return seen.get();
        } finally {
            replica.healReplication();
            Awaitility.await("replica back in sync").atMost(Duration.ofSeconds(30))
                    .until(() -> replica.linkUp() && primary.replicasCaughtUp());
        }
    }

    @Test
    void aLaggingReplicaFailsTheAcquisitionCleanly() throws Exception {
        String seen = lockOnReplicaWhileLagging(LockOptions.of(Duration.ofSeconds(10))
                .withSyncedReplicas(1, Duration.ofMillis(500)));
        assertThat(seen).as("no work ran without the replica having the lock").isEqualTo("the work did not run");
    }

    @Test
    void negativeControlWithoutTheOptionTheWorkRunsWhileTheReplicaLacksTheLock() throws Exception {
        String seen = lockOnReplicaWhileLagging(LockOptions.of(Duration.ofSeconds(10)));
        assertThat(seen).as("the replica's copy of the lock while the work ran").isEmpty();
    }
}
