package io.brickworks.cache.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.tck.FaultProxy;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loss notice of {@code withLock} under a silent network cut between the holder and Redis (a
 * {@link FaultProxy} that stops forwarding without FIN or RST): the holder is told that its lock is
 * lost before another replica, on a healthy connection, can take it. Without the lease deadline (the
 * negative control) the holder hears of the loss only when its renewal times out, seconds after the
 * other replica took the lock, and the same check fails.
 */
class LockLeaseFaultTest {

    private static final Duration TTL = Duration.ofMillis(1500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** When the holder was told of the loss and when the other replica had the lock, by one clock. */
    private record Outcome(long lostAtNanos, long takenAtNanos, LockResult.Status status) {
    }

    private static void assertToldBeforeTakeover(Outcome outcome) {
        assertThat(outcome.lostAtNanos()).as("the holder was told of the loss (ms after the takeover: %d)",
                        TimeUnit.NANOSECONDS.toMillis(outcome.lostAtNanos() - outcome.takenAtNanos()))
                .isLessThan(outcome.takenAtNanos());
        assertThat(outcome.status()).isEqualTo(LockResult.Status.LOST);
    }

    private static CacheSettings.Builder settings(String host, int port) {
        return CacheSettings.builder().useRedis(true).redisHost(host).redisPort(port).commandTimeout(COMMAND_TIMEOUT);
    }

    private Outcome cutWhileHolding(boolean leaseDeadline) throws Exception {
        redis.flushAll();
        try (FaultProxy proxy = FaultProxy.in(redis);
             BrickworksCache holder = BrickworksCache.builder().settings(settings(proxy.host(), proxy.port()).build()).build();
             BrickworksCache other = BrickworksCache.builder().settings(settings(redis.host(), redis.port()).build()).build()) {
            ((DefaultBrickworksCache) holder).runtime().locks().leaseDeadline(leaseDeadline);
            AtomicLong lostAt = new AtomicLong();
            CountDownLatch holding = new CountDownLatch(1);
            CompletableFuture<Void> work = new CompletableFuture<>();
            CompletableFuture<LockResult<Void>> result = holder.withLock("job",
                    LockOptions.of(TTL).withOnLost(h -> lostAt.compareAndSet(0, System.nanoTime())), lock -> {
                        holding.countDown();
                        return work;
                    });
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            proxy.stop(FaultProxy.Direction.BOTH);
            Optional<LockHandle> taken = other.lock("job", Duration.ofSeconds(30), Duration.ofSeconds(20))
                    .get(30, TimeUnit.SECONDS);
            long takenAt = System.nanoTime();
            assertThat(taken).as("the other replica takes the lock once the holder's TTL ran out").isPresent();
            await().atMost(COMMAND_TIMEOUT.multipliedBy(3)).until(() -> lostAt.get() != 0);

            proxy.heal();
            work.complete(null);
            LockResult<Void> done = result.get(30, TimeUnit.SECONDS);
            assertThat(taken.get().isHeld().get(10, TimeUnit.SECONDS))
                    .as("the end of the cut-off holder's work leaves the new holder's lock").isTrue();
            return new Outcome(lostAt.get(), takenAt, done.status());
        }
    }

    @Test
    void aHolderCutOffSilentlyIsToldOfTheLossBeforeAnotherReplicaTakesTheLock() throws Exception {
        assertToldBeforeTakeover(cutWhileHolding(true));
    }

    @Test
    void negativeControlWithoutTheLeaseDeadlineTheSameCheckFails() throws Exception {
        Outcome planted = cutWhileHolding(false);
        assertThatThrownBy(() -> assertToldBeforeTakeover(planted)).isInstanceOf(AssertionError.class);
    }
}
