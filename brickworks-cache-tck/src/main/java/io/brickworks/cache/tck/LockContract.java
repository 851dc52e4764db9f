package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.spi.CacheBackendException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The lock handles of {@code tryLock}, {@code lock} and {@code withLock}: exclusion across instances
 * and handles, owner-checked release and extend from any thread, fencing tokens that strictly
 * increase, waiting with a deadline, renewal, loss detection, minimum hold time, tenancy and bad
 * input. Other replicas come from {@link #newCache}. Expiry is simulated where it must happen at a
 * precise moment by deleting the lock key below the API (what expiry does), and waited for with
 * short TTLs elsewhere.
 */
public abstract class LockContract extends CacheContract {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String LOCKS = "__locks__";

    private static String lockKey(String tenant, String name) {
        return fullKey(tenant, LOCKS, name);
    }

    private static String fenceKey(String tenant, String name) {
        return lockKey(tenant, name) + ":fence";
    }

    private static LockHandle held(Optional<LockHandle> handle) {
        assertThat(handle).as("the lock must have been acquired").isPresent();
        return handle.get();
    }

    /** Waits until {@code replica} takes the lock {@code name} (for {@link #LONG}), as after an expiry. */
    private static LockHandle takeWhenFree(BrickworksCache replica, String name) {
        AtomicReference<LockHandle> taken = new AtomicReference<>();
        eventually().until(() -> {
            await(replica.tryLock(name, LONG)).ifPresent(taken::set);
            return taken.get() != null;
        });
        return taken.get();
    }

    /** Deletes the lock below the API: what its expiry does, at a moment the test chooses. */
    private void expireNow(String tenant, String name) {
        assertThat(await(backend().delete(lockKey(tenant, name)))).as("the lock key existed").isTrue();
    }

    // ------------------------------------------------------------------ tryLock and the handle

    @Test
    void tryLockExcludesOtherInstancesAndOtherHandles() {
        BrickworksCache replica = newCache();
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        assertThat(await(replica.tryLock("job", LONG))).isEmpty();
        assertThat(await(cache.tryLock("job", LONG))).as("a second handle of the same cache is another owner")
                .isEmpty();
        assertThat(await(replica.attemptDistributedLock("job"))).as("the spec's lock is the same lock").isFalse();
        assertThat(await(cache.attemptDistributedLock("job"))).isFalse();
        assertThat(await(lock.isHeld())).isTrue();
    }

    @Test
    void theSpecsLockExcludesHandles() {
        assertThat(await(cache.attemptDistributedLock("job"))).isTrue();
        assertThat(await(newCache().tryLock("job", LONG))).isEmpty();
        assertThat(await(cache.tryLock("job", LONG))).isEmpty();
    }

    @Test
    void aLockTakenByAnotherClientWithAnyValueExcludesHandles() {
        // The Python original stores "1" as the lock's value.
        await(backend().set(lockKey(MASTER, "job"), "1".getBytes(StandardCharsets.UTF_8), LONG.toMillis(), false,
                List.of()));
        assertThat(await(cache.tryLock("job", LONG))).isEmpty();
        assertThat(await(cache.releaseDistributedLock("job"))).isFalse();
        assertThat(stored(lockKey(MASTER, "job"))).isTrue();
    }

    @Test
    void theLockLivesAtTheOriginalsKeyWithTheTtlAndItsFenceBesideIt() {
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        assertThat(ttlMillis(lockKey(MASTER, "job"))).isBetween(LONG.toMillis() - 1_000, LONG.toMillis());
        assertThat(stored(fenceKey(MASTER, "job"))).isTrue();
        assertThat(ttlMillis(fenceKey(MASTER, "job"))).as("the fencing counter expires, later than the lock")
                .isGreaterThanOrEqualTo(LONG.toMillis());
        assertThat(lock.name()).isEqualTo("job");
        assertThat(lock.tenant()).isEqualTo(MASTER);
        assertThat(lock.fencingToken()).isPositive();
    }

    @Test
    void closeReleasesAndIsIdempotent() {
        BrickworksCache replica = newCache();
        try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
            assertThat(await(replica.tryLock("job", LONG))).isEmpty();
            assertThat(lock.fencingToken()).isPositive();
        }
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
        LockHandle next = held(await(replica.tryLock("job", LONG)));
        assertThat(await(next.release())).isTrue();
        assertThat(await(next.release())).as("only the first release does anything").isFalse();
        next.close();
    }

    @Test
    void releaseAndExtendWorkFromAnyThread() throws Exception {
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> extended = other.submit(() -> await(lock.extend(Duration.ofSeconds(60))));
            assertThat(extended.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(ttlMillis(lockKey(MASTER, "job"))).isGreaterThan(LONG.toMillis());
            Future<Boolean> released = other.submit(() -> await(lock.release()));
            assertThat(released.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            other.shutdownNow();
        }
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void anExpiredHoldersReleaseAndExtendLeaveTheNewHoldersLock() {
        BrickworksCache replica = newCache();
        LockHandle first = held(await(cache.tryLock("job", SHORT)));
        LockHandle second = takeWhenFree(replica, "job");
        assertThat(await(first.isHeld())).isFalse();
        assertThat(await(first.extend(LONG))).isFalse();
        assertThat(await(first.release())).isFalse();
        first.close();
        assertThat(await(second.isHeld())).isTrue();
        assertThat(ttlMillis(lockKey(MASTER, "job"))).as("the new holder's TTL is untouched")
                .isGreaterThan(LONG.toMillis() - 2_000);
    }

    @Test
    void twoHandlesOfOneCacheAreDifferentOwners() {
        LockHandle first = held(await(cache.tryLock("job", SHORT)));
        LockHandle second = takeWhenFree(cache, "job");
        assertThat(await(first.release())).isFalse();
        assertThat(await(cache.releaseDistributedLock("job"))).as("the instance's spec lock is another owner too")
                .isFalse();
        assertThat(await(second.isHeld())).isTrue();
    }

    @Test
    void extendCanShortenTheLock() {
        BrickworksCache replica = newCache();
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        assertThat(await(lock.extend(SHORT))).isTrue();
        eventually().until(() -> await(replica.tryLock("job", LONG)).isPresent());
    }

    @Test
    void isHeldAsksTheStore() {
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        assertThat(await(lock.isHeld())).isTrue();
        expireNow(MASTER, "job");
        assertThat(await(lock.isHeld())).isFalse();
        assertThat(await(lock.extend(LONG))).as("extend does not bring a lost lock back").isFalse();
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void differentNamesAreDifferentLocks() {
        held(await(cache.tryLock("a", LONG)));
        held(await(newCache().tryLock("b", LONG)));
    }

    // ------------------------------------------------------------------ fencing tokens

    @Test
    void fencingTokensStrictlyIncreaseForEachNewHolder() {
        List<BrickworksCache> replicas = List.of(cache, newCache(), newCache());
        long previous = 0;
        for (int i = 0; i < 60; i++) {
            try (LockHandle lock = held(await(replicas.get(i % 3).tryLock("job", LONG)))) {
                assertThat(lock.fencingToken()).isGreaterThan(previous);
                previous = lock.fencingToken();
            }
        }
    }

    @Test
    void fencingTokensIncreaseAcrossExpiry() {
        BrickworksCache replica = newCache();
        LockHandle first = held(await(cache.tryLock("job", SHORT)));
        LockHandle second = takeWhenFree(replica, "job");
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    }

    @Test
    void fencingTokensKeepIncreasingAfterTheCounterIsLost() {
        long last = 0;
        for (int i = 0; i < 200; i++) {
            try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
                assertThat(lock.fencingToken()).as("token %d", i).isGreaterThan(last);
                last = lock.fencingToken();
            }
        }
        assertThat(await(backend().delete(fenceKey(MASTER, "job")))).as("the counter existed").isTrue();
        try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
            assertThat(lock.fencingToken()).as("the first token after the loss").isGreaterThan(last);
        }
    }

    @Test
    void aCounterHoldingSomethingElseIsSeededAgainAboveEveryEarlierToken() {
        long last;
        try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
            last = lock.fencingToken();
        }
        for (String junk : List.of("not a number", "0", "-7", "1")) {
            await(backend().set(fenceKey(MASTER, "job"), junk.getBytes(StandardCharsets.UTF_8), 60_000, false,
                    List.of()));
            try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
                assertThat(lock.fencingToken()).as("the token after the counter held '%s'", junk).isGreaterThan(last);
                last = lock.fencingToken();
            }
        }
    }

    /**
     * A counter that is behind the latest token, as on a replica promoted after it missed
     * acquisitions or a server restarted from a stale snapshot: the next token is still above every
     * earlier one (the floor at the store's clock), not the stale value plus one.
     */
    @Test
    void aCounterBehindItsLatestTokenStillDrawsAboveIt() {
        long last = 0;
        for (int i = 0; i < 3; i++) {
            try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
                last = lock.fencingToken();
            }
        }
        await(backend().set(fenceKey(MASTER, "job"), Long.toString(last - 199).getBytes(StandardCharsets.UTF_8),
                60_000, false, List.of()));
        try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
            assertThat(lock.fencingToken()).as("the token after the counter went 199 back").isGreaterThan(last);
        }
    }

    /**
     * Tokens are floored at the store's clock in microseconds since the epoch, so that a store that
     * lost or never saw the counter goes on above earlier tokens; the store runs on this machine in
     * the tests, so its clock is this JVM's (one second of slack for the call itself).
     */
    @Test
    void fencingTokensAreAtLeastTheStoresClockInMicroseconds() {
        long before = (System.currentTimeMillis() - 1_000) * 1_000;
        try (LockHandle lock = held(await(cache.tryLock("job", LONG)))) {
            assertThat(lock.fencingToken()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void fencingTokensAreDrawnPerLock() {
        LockHandle a = held(await(cache.tryLock("a", LONG)));
        LockHandle b = held(await(cache.tryLock("b", LONG)));
        assertThat(a.fencingToken()).isPositive();
        assertThat(b.fencingToken()).isPositive();
        assertThat(stored(fenceKey(MASTER, "a"))).isTrue();
        assertThat(stored(fenceKey(MASTER, "b"))).isTrue();
    }

    @Test
    void concurrentTryLocksLetExactlyOneWinAndTokensNeverRepeat() throws Exception {
        int instances = 6;
        List<BrickworksCache> replicas = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            replicas.add(newCache());
        }
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            long previous = 0;
            for (int round = 0; round < 10; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<LockHandle>>> attempts = new ArrayList<>();
                for (BrickworksCache replica : replicas) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return await(replica.tryLock("notify", LONG));
                    }));
                }
                start.countDown();
                List<LockHandle> winners = new ArrayList<>();
                for (Future<Optional<LockHandle>> a : attempts) {
                    a.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).ifPresent(winners::add);
                }
                assertThat(winners).hasSize(1);
                assertThat(winners.get(0).fencingToken()).isGreaterThan(previous);
                previous = winners.get(0).fencingToken();
                winners.get(0).close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void lockWaitsUntilTheHolderReleases() {
        BrickworksCache replica = newCache();
        LockHandle first = held(await(cache.tryLock("job", LONG)));
        CompletableFuture<Optional<LockHandle>> waiting = replica.lock("job", LONG, Duration.ofSeconds(8));
        assertThat(waiting).isNotDone();
        first.close();
        LockHandle second = held(await(waiting));
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    }

    @Test
    void lockWaitsUntilTheHoldersLockExpires() {
        held(await(cache.tryLock("job", SHORT)));
        assertThat(await(newCache().lock("job", LONG, Duration.ofSeconds(8)))).isPresent();
    }

    @Test
    void lockGivesUpAtTheDeadline() {
        held(await(cache.tryLock("job", LONG)));
        assertThat(await(newCache().lock("job", LONG, SHORT))).isEmpty();
    }

    @Test
    void lockWithoutWaitTriesOnce() {
        held(await(cache.tryLock("job", LONG)));
        assertThat(await(newCache().lock("job", LONG, Duration.ZERO))).isEmpty();
        assertThat(await(newCache().lock("free", LONG, Duration.ZERO))).isPresent();
    }

    @Test
    void cancellingAWaitStopsIt() {
        BrickworksCache replica = newCache();
        LockHandle first = held(await(cache.tryLock("job", LONG)));
        CompletableFuture<Optional<LockHandle>> waiting = replica.lock("job", LONG, Duration.ofSeconds(8));
        waiting.cancel(false);
        first.close();
        // If an attempt was in flight when the wait was cancelled, the lock it took is given back.
        BrickworksCache third = newCache();
        eventually().until(() -> await(third.tryLock("job", LONG)).isPresent());
    }

    @Test
    void cancellingAWithLockWhileItWaitsNeverRunsTheWork() {
        BrickworksCache replica = newCache();
        LockHandle first = held(await(cache.tryLock("job", LONG)));
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<LockResult<String>> waiting = replica.withLock("job",
                LockOptions.of(LONG).withMaxWait(Duration.ofSeconds(8)), lock -> {
                    ran.set(true);
                    return CompletableFuture.completedFuture("ran");
                });
        waiting.cancel(false);
        first.close();
        BrickworksCache third = newCache();
        eventually().until(() -> await(third.tryLock("job", LONG)).isPresent());
        assertThat(ran).isFalse();
    }

    @Test
    void closingTheCacheEndsAWait() {
        BrickworksCache replica = newCache();
        held(await(cache.tryLock("job", LONG)));
        CompletableFuture<Optional<LockHandle>> waiting = replica.lock("job", LONG, Duration.ofSeconds(8));
        replica.close();
        assertThatThrownBy(() -> await(waiting)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ------------------------------------------------------------------ withLock

    @Test
    void withLockRunsTheWorkAndReleases() {
        AtomicReference<LockHandle> seen = new AtomicReference<>();
        LockResult<String> result = await(cache.withLock("job", LONG, lock -> {
            seen.set(lock);
            assertThat(await(newCache().tryLock("job", LONG))).as("held while the work runs").isEmpty();
            return CompletableFuture.completedFuture("done");
        }));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(result.acquired()).isTrue();
        assertThat(result.lost()).isFalse();
        assertThat(result.value()).isEqualTo("done");
        assertThat(result.fencingToken()).isEqualTo(seen.get().fencingToken()).isPositive();
        assertThat(result.lossCause()).isEmpty();
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    // ------------------------------------------------------------------ synced-replica locks

    /**
     * How many replicas each primary of the store has (0 for the memory backend and a standalone
     * server), for the synced-replica tests.
     */
    protected int replicas() {
        return 0;
    }

    @Test
    void aSyncedReplicaLockRunsOnceTheStoresReplicasHaveIt() {
        AtomicBoolean ran = new AtomicBoolean();
        LockResult<Void> result = await(cache.withLock("job",
                LockOptions.of(LONG).withSyncedReplicas(replicas(), Duration.ofSeconds(10)), () -> ran.set(true)));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(ran).isTrue();
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    /**
     * More replicas than the store has: the lock is taken, not acknowledged in time, released, and
     * the work never runs; the failure names the lock and the count, and nothing is left held.
     */
    @Test
    void aSyncedReplicaLockWithoutEnoughReplicasFailsCleanlyAndLeavesNothingHeld() {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<LockResult<Void>> result = cache.withLock("job",
                LockOptions.of(LONG).withSyncedReplicas(replicas() + 1, Duration.ofMillis(200)), () -> ran.set(true));
        assertThatThrownBy(() -> await(result)).isInstanceOf(CacheBackendException.class)
                .hasMessageContaining("job").hasMessageContaining("of " + (replicas() + 1) + " replica")
                .hasMessageContaining("released");
        assertThat(ran).isFalse();
        assertThat(stored(lockKey(MASTER, "job"))).as("nothing held").isFalse();
        try (LockHandle next = held(await(newCache().tryLock("job", LONG)))) {
            assertThat(next.fencingToken()).isPositive();
        }
    }

    @Test
    void withLockRunsARunnable() {
        AtomicBoolean ran = new AtomicBoolean();
        LockResult<Void> result = await(cache.withLock("job", LONG, () -> {
            assertThat(await(newCache().tryLock("job", LONG))).as("held while the work runs").isEmpty();
            ran.set(true);
        }));
        assertThat(ran).isTrue();
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(result.value()).isNull();
        assertThat(result.fencingToken()).isPositive();
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockRunsACallableForItsValue() {
        LockResult<String> result = await(cache.withLock("job", LockOptions.of(LONG), () -> {
            assertThat(await(newCache().tryLock("job", LONG))).as("held while the work runs").isEmpty();
            return "done";
        }));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(result.value()).isEqualTo("done");
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockFailsWithWhatACallableThrowsAndReleases() {
        java.io.IOException failure = new java.io.IOException("disk full");
        CompletableFuture<LockResult<String>> result = cache.withLock("job", LONG, () -> {
            throw failure;
        });
        assertThatThrownBy(() -> result.join()).hasRootCauseInstanceOf(java.io.IOException.class)
                .hasRootCauseMessage("disk full");
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
        CompletableFuture<LockResult<Void>> thrown = cache.withLock("job", LONG, (Runnable) () -> {
            throw new IllegalStateException("runnable failed");
        });
        assertThatThrownBy(() -> await(thrown)).isInstanceOf(IllegalStateException.class).hasMessage("runnable failed");
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockDoesNotRunSynchronousWorkWhenTheLockIsHeld() {
        held(await(newCache().tryLock("job", LONG)));
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(await(cache.withLock("job", LONG, () -> ran.set(true))).acquired()).isFalse();
        assertThat(await(cache.withLock("job", LONG, () -> ran.getAndSet(true))).acquired()).isFalse();
        assertThat(ran).isFalse();
    }

    @Test
    void withLockDoesNotRunTheWorkWhenTheLockIsHeld() {
        held(await(newCache().tryLock("job", LONG)));
        AtomicBoolean ran = new AtomicBoolean();
        LockResult<String> result = await(cache.withLock("job", LONG, lock -> {
            ran.set(true);
            return CompletableFuture.completedFuture("done");
        }));
        assertThat(ran).isFalse();
        assertThat(result.status()).isEqualTo(LockResult.Status.NOT_ACQUIRED);
        assertThat(result.acquired()).isFalse();
        assertThat(result.value()).isNull();
        assertThat(result.fencingToken()).isEqualTo(-1);
    }

    @Test
    void withLockWaitsWhenAskedTo() {
        LockHandle first = held(await(newCache().tryLock("job", LONG)));
        CompletableFuture<LockResult<Integer>> result = cache.withLock("job",
                LockOptions.of(LONG).withMaxWait(Duration.ofSeconds(8)), lock -> CompletableFuture.completedFuture(7));
        first.close();
        assertThat(await(result).value()).isEqualTo(7);
    }

    @Test
    void withLockReleasesWhenTheWorkFails() {
        IllegalStateException failure = new IllegalStateException("the job failed");
        CompletableFuture<LockResult<String>> result = cache.withLock("job", LONG,
                lock -> CompletableFuture.failedFuture(failure));
        assertThatThrownBy(() -> await(result)).isSameAs(failure);
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockReleasesWhenTheWorkThrows() {
        CompletableFuture<LockResult<String>> result = cache.withLock("job", LONG, lock -> {
            throw new IllegalStateException("thrown before any stage");
        });
        assertThatThrownBy(() -> await(result)).hasMessageContaining("thrown before any stage");
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockFailsWhenTheWorkReturnsNull() {
        CompletableFuture<LockResult<String>> result = cache.withLock("job", LONG, lock -> null);
        assertThatThrownBy(() -> await(result)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned null");
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void withLockRenewsTheLockWhileTheWorkRuns() {
        BrickworksCache replica = newCache();
        CompletableFuture<Void> work = new CompletableFuture<>();
        AtomicReference<LockHandle> handle = new AtomicReference<>();
        CompletableFuture<LockResult<Void>> result = cache.withLock("job",
                LockOptions.of(SHORT).withRenewEvery(Duration.ofMillis(60)), lock -> {
                    handle.set(lock);
                    return work;
                });
        eventually().until(() -> handle.get() != null);
        // Held for three TTLs (and more) while the work runs: renewal, not the TTL, keeps it.
        eventually().during(SHORT.multipliedBy(3)).until(() -> await(handle.get().isHeld()));
        assertThat(await(replica.tryLock("job", LONG))).isEmpty();
        work.complete(null);
        assertThat(await(result).status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(await(replica.tryLock("job", LONG))).isPresent();
    }

    @Test
    void withLockReportsTheLossWhenAnotherOwnerTookTheLock() {
        BrickworksCache replica = newCache();
        CompletableFuture<String> work = new CompletableFuture<>();
        CountDownLatch lostCalled = new CountDownLatch(1);
        AtomicReference<LockHandle> lostHandle = new AtomicReference<>();
        AtomicReference<LockHandle> handle = new AtomicReference<>();
        CompletableFuture<LockResult<String>> result = cache.withLock("job",
                LockOptions.of(SHORT).withRenewEvery(Duration.ofMillis(50)).withOnLost(h -> {
                    lostHandle.set(h);
                    lostCalled.countDown();
                }), lock -> {
                    handle.set(lock);
                    return work;
                });
        eventually().until(() -> handle.get() != null);
        expireNow(MASTER, "job");
        LockHandle other = held(await(replica.tryLock("job", LONG)));
        eventually().until(() -> lostCalled.getCount() == 0);
        assertThat(lostHandle.get()).isSameAs(handle.get());
        work.complete("finished anyway");
        LockResult<String> done = await(result);
        assertThat(done.status()).isEqualTo(LockResult.Status.LOST);
        assertThat(done.lost()).isTrue();
        assertThat(done.value()).isEqualTo("finished anyway");
        assertThat(await(other.isHeld())).as("the end of the lost work leaves the new holder's lock").isTrue();
        assertThat(other.fencingToken()).isGreaterThan(done.fencingToken());
    }

    @Test
    void withLockReportsTheLossFoundAtTheEndOfQuickWork() {
        BrickworksCache replica = newCache();
        AtomicReference<LockHandle> other = new AtomicReference<>();
        LockResult<String> result = await(cache.withLock("job", LONG, lock -> {
            expireNow(MASTER, "job");
            other.set(held(await(replica.tryLock("job", LONG))));
            return CompletableFuture.completedFuture("done");
        }));
        assertThat(result.status()).isEqualTo(LockResult.Status.LOST);
        assertThat(await(other.get().isHeld())).isTrue();
    }

    @Test
    void aFailingWorkThatLostItsLockSaysSo() {
        IllegalStateException failure = new IllegalStateException("the job failed");
        CompletableFuture<LockResult<String>> result = cache.withLock("job", LONG, lock -> {
            expireNow(MASTER, "job");
            return CompletableFuture.failedFuture(failure);
        });
        assertThatThrownBy(() -> await(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement().satisfies(s -> assertThat(s).hasMessageContaining("lost"));
    }

    @Test
    void workThatReleasesItsOwnLockHasNotLostIt() {
        LockResult<String> result = await(cache.withLock("job", LONG, lock -> lock.release().thenApply(r -> "done")));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(stored(lockKey(MASTER, "job"))).isFalse();
    }

    @Test
    void closingTheCacheWhileWorkRunsReportsTheLoss() {
        BrickworksCache replica = newCache();
        CompletableFuture<String> work = new CompletableFuture<>();
        CountDownLatch lostCalled = new CountDownLatch(1);
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<LockResult<String>> result = replica.withLock("job",
                LockOptions.of(LONG).withOnLost(h -> lostCalled.countDown()), lock -> {
                    started.set(true);
                    return work;
                });
        eventually().untilTrue(started);
        replica.close();
        eventually().until(() -> lostCalled.getCount() == 0);
        work.complete("done");
        LockResult<String> done = await(result);
        assertThat(done.status()).isEqualTo(LockResult.Status.LOST);
        assertThat(done.lossCause()).get().satisfies(c -> assertThat(c).hasMessageContaining("closed"));
    }

    @Test
    void lockAtLeastForKeepsTheLockAfterQuickWork() {
        BrickworksCache replica = newCache();
        Duration minimum = Duration.ofMillis(800);
        LockResult<String> result = await(cache.withLock("job", LockOptions.of(LONG).withLockAtLeastFor(minimum),
                lock -> CompletableFuture.completedFuture("quick")));
        assertThat(result.status()).isEqualTo(LockResult.Status.COMPLETED);
        assertThat(await(replica.withLock("job", LONG, lock -> CompletableFuture.completedFuture("again"))).acquired())
                .as("a second run right after the first is refused").isFalse();
        assertThat(ttlMillis(lockKey(MASTER, "job"))).isBetween(1L, minimum.toMillis());
        eventually().until(() -> await(replica.tryLock("job", LONG)).isPresent());
    }

    // ------------------------------------------------------------------ tenancy

    @Test
    void locksAreScopedToTheTenant() {
        LockHandle acme = held(await(cache.forTenant("acme").tryLock("job", LONG)));
        LockHandle globex = held(await(newCache().forTenant("globex").tryLock("job", LONG)));
        assertThat(acme.tenant()).isEqualTo("acme");
        assertThat(globex.tenant()).isEqualTo("globex");
        assertThat(stored(lockKey("acme", "job"))).isTrue();
        assertThat(stored(lockKey("globex", "job"))).isTrue();
        assertThat(await(newCache().forTenant("acme").tryLock("job", LONG))).isEmpty();
        LockResult<String> inAcme = await(newCache().forTenant("acme").withLock("job", LONG,
                lock -> CompletableFuture.completedFuture("x")));
        assertThat(inAcme.acquired()).isFalse();
    }

    @Test
    void theMasterTenantsLockIsSharedByAllTenants() {
        LockHandle shared = held(await(cache.forTenant("acme").masterTenant().tryLock("job", LONG)));
        assertThat(shared.tenant()).isEqualTo(MASTER);
        assertThat(stored(lockKey(MASTER, "job"))).isTrue();
        assertThat(await(newCache().forTenant("globex").masterTenant().tryLock("job", LONG))).isEmpty();
        assertThat(await(newCache().masterTenant().lock("job", LONG, Duration.ZERO))).isEmpty();
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputIsRejectedBeforeAnythingIsWritten() {
        String key = lockKey(MASTER, "a");
        String fence = fenceKey(MASTER, "a");
        assertNothingWritten(() -> cache.tryLock("a:b", LONG), lockKey(MASTER, "a:b"));
        assertNothingWritten(() -> cache.tryLock("", LONG));
        assertNothingWritten(() -> cache.tryLock(null, LONG));
        assertNothingWritten(() -> cache.tryLock("a", Duration.ZERO), key, fence);
        assertNothingWritten(() -> cache.tryLock("a", Duration.ofMillis(-5)), key, fence);
        assertNothingWritten(() -> cache.tryLock("a", null), key, fence);
        assertNothingWritten(() -> cache.lock("a", LONG, Duration.ofMillis(-1)), key, fence);
        assertNothingWritten(() -> cache.lock("a", LONG, null), key, fence);
        assertNothingWritten(() -> cache.lock("a:b", LONG, SHORT));
        assertNothingWritten(() -> cache.withLock("a", LONG, (Function<LockHandle, CompletionStage<Integer>>) null),
                key, fence);
        assertNothingWritten(() -> cache.withLock("a", LONG, (Runnable) null), key, fence);
        assertNothingWritten(() -> cache.withLock("a", LONG, (Callable<Integer>) null), key, fence);
        assertNothingWritten(() -> cache.withLock("a", (LockOptions) null, lock -> CompletableFuture.completedFuture(1)),
                key, fence);
        assertNothingWritten(() -> cache.withLock("a", Duration.ZERO, lock -> CompletableFuture.completedFuture(1)),
                key, fence);
        assertNothingWritten(() -> cache.withLock("a:b", LONG, lock -> CompletableFuture.completedFuture(1)));
    }

    @Test
    void badInputNamesTheArgumentAndTheValue() {
        assertThatThrownBy(() -> cache.tryLock("a:b", LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name").hasMessageContaining("a:b");
        assertThatThrownBy(() -> cache.tryLock("a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> cache.lock("a", LONG, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> cache.withLock("a", LONG, (Function<LockHandle, CompletionStage<Integer>>) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work");
        assertThatThrownBy(() -> cache.withLock("a", LockOptions.of(LONG), (Runnable) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work");
        assertThatThrownBy(() -> LockOptions.of(LONG).withOnLost(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onLost");
        assertThatThrownBy(() -> LockOptions.of(SHORT).withRenewEvery(SHORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renewEvery");
        assertThatThrownBy(() -> LockOptions.of(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> LockOptions.of(LONG).withLockAtLeastFor(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockAtLeastFor");
        assertThatThrownBy(() -> LockOptions.of(LONG).withMaxWait(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> LockOptions.of(LONG).withSyncedReplicas(-1, SHORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas").hasMessageContaining("-1");
        assertThatThrownBy(() -> LockOptions.of(SHORT).withSyncedReplicas(1, SHORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncTimeout");
        assertThatThrownBy(() -> LockOptions.of(LONG).withSyncedReplicas(1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncTimeout");
    }

    @Test
    void extendWithABadTtlIsRejectedAndLeavesTheLock() {
        LockHandle lock = held(await(cache.tryLock("job", LONG)));
        assertThatThrownBy(() -> lock.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> lock.extend(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ttlMillis(lockKey(MASTER, "job"))).isGreaterThan(LONG.toMillis() - 2_000);
    }
}
