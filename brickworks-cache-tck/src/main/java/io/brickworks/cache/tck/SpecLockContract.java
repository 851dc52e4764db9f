package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The specification's locks, {@code attemptDistributedLock} and {@code releaseDistributedLock}:
 * exclusivity across instances, expiry after the TTL, and release only by the instance that holds
 * the lock (the original's flaw, fixed). Other instances come from {@link #newCache}, as other
 * replicas would.
 */
public abstract class SpecLockContract extends CacheContract {

    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void onlyOneInstanceGetsTheLock() {
        BrickworksCache replica = newCache();
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(await(replica.attemptDistributedLock("job"))).isFalse();
        assertThat(await(cache.attemptDistributedLock("job"))).as("not reentrant, as in the original").isFalse();
    }

    @Test
    void lockLivesAtTheOriginalsKeyWithTheTtl() {
        await(cache.attemptDistributedLock("job", Duration.ofSeconds(30)));
        String key = fullKey(MASTER, "__locks__", "job");
        assertThat(stored(key)).isTrue();
        assertThat(ttlMillis(key)).isBetween(Duration.ofSeconds(29).toMillis(), Duration.ofSeconds(30).toMillis());
    }

    @Test
    void theOriginalsLockIsOneSetAndDrawsNoFencingToken() {
        long before = tokenOfAHandle(cache);
        String fence = fullKey(MASTER, "__locks__", "job") + ":fence";
        await(backendOf(cache).delete(fence));
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(stored(fence)).as("no fencing counter drawn by the original's lock").isFalse();
        assertThat(await(newCache().tryLock("job", Duration.ofSeconds(30)))).as("it excludes handles").isEmpty();
        assertThat(await(cache.releaseDistributedLock("job"))).isTrue();
        // a later handle still gets a greater token than every earlier handle (the clock floor)
        long after = tokenOfAHandle(cache);
        assertThat(after).isGreaterThan(before);
    }

    private static long tokenOfAHandle(BrickworksCache c) {
        io.brickworks.cache.lock.LockHandle handle = await(c.tryLock("job", Duration.ofSeconds(30))).orElseThrow();
        assertThat(await(handle.release())).isTrue();
        return handle.fencingToken();
    }

    @Test
    void defaultTtlIsTenSeconds() {
        await(cache.attemptDistributedLock("job"));
        assertThat(ttlMillis(fullKey(MASTER, "__locks__", "job")))
                .isBetween(Duration.ofSeconds(9).toMillis(), Duration.ofSeconds(10).toMillis());
    }

    @Test
    void differentLocksAreIndependent() {
        assertThat(await(cache.attemptDistributedLock("a"))).isTrue();
        assertThat(await(newCache().attemptDistributedLock("b"))).isTrue();
    }

    @Test
    void lockExpiresAfterItsTtl() {
        BrickworksCache replica = newCache();
        assertThat(await(cache.attemptDistributedLock("job", SHORT))).isTrue();
        eventually().until(() -> await(replica.attemptDistributedLock("job", Duration.ofSeconds(30))));
        assertThat(await(cache.attemptDistributedLock("job", SHORT))).isFalse();
        assertThat(await(cache.releaseDistributedLock("job"))).as("the expired holder no longer holds it").isFalse();
        assertThat(await(replica.attemptDistributedLock("job"))).isFalse();
    }

    @Test
    void releaseLetsAnotherInstanceTakeTheLock() {
        BrickworksCache replica = newCache();
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(await(cache.releaseDistributedLock("job"))).isTrue();
        assertThat(stored(fullKey(MASTER, "__locks__", "job"))).isFalse();
        assertThat(await(replica.attemptDistributedLock("job"))).isTrue();
    }

    @Test
    void releaseByADifferentInstanceLeavesTheLockInPlace() {
        BrickworksCache replica = newCache();
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(await(replica.releaseDistributedLock("job"))).isFalse();
        assertThat(stored(fullKey(MASTER, "__locks__", "job"))).isTrue();
        assertThat(await(replica.attemptDistributedLock("job"))).isFalse();
        assertThat(await(cache.releaseDistributedLock("job"))).isTrue();
        assertThat(await(replica.attemptDistributedLock("job"))).isTrue();
    }

    @Test
    void releaseOfAFreeLockIsFalse() {
        assertThat(await(cache.releaseDistributedLock("never-taken"))).isFalse();
        await(cache.attemptDistributedLock("job"));
        assertThat(await(cache.releaseDistributedLock("job"))).isTrue();
        assertThat(await(cache.releaseDistributedLock("job"))).isFalse();
    }

    @Test
    void aLockTakenAfterExpiryIsNotReleasedByTheFormerHolder() {
        BrickworksCache replica = newCache();
        await(cache.attemptDistributedLock("job", SHORT));
        eventually().until(() -> await(replica.attemptDistributedLock("job")));
        assertThat(await(cache.releaseDistributedLock("job"))).isFalse();
        assertThat(stored(fullKey(MASTER, "__locks__", "job"))).isTrue();
    }

    @Test
    void locksDoNotCollideWithKeys() {
        await(cache.setKey("job", "a value"));
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(await(cache.getKey("job"))).isEqualTo("a value");
    }

    @Test
    void concurrentAttemptsFromManyInstancesLetExactlyOneWin() throws Exception {
        int instances = 6;
        List<BrickworksCache> replicas = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            replicas.add(newCache());
        }
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (BrickworksCache replica : replicas) {
                attempts.add(pool.submit(() -> {
                    start.await();
                    return await(replica.attemptDistributedLock("notify"));
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> a : attempts) {
                if (a.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    winners++;
                }
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
