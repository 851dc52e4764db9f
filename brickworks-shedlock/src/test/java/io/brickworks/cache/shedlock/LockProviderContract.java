package io.brickworks.cache.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ShedLock's contract for a lock provider (the expectations of its {@code AbstractLockProviderIntegrationTest}
 * and {@code AbstractExtensibleLockProviderIntegrationTest} that apply: lock, unlock, lockAtMostFor,
 * lockAtLeastFor, extend), plus this provider's own promises: an unlock never deletes another owner's
 * lock, and the lock is the original's key. One hook per backend.
 */
abstract class LockProviderContract {

    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(200);

    /** The cache under test, the master-tenant view of which the provider uses. */
    protected abstract BrickworksCache cache();

    /** Another replica's cache on the same store (may be {@link #cache()} itself for a store in this process). */
    protected abstract BrickworksCache otherReplica();

    private BrickworksLockProvider provider;
    private BrickworksLockProvider otherProvider;
    private String name;

    @BeforeEach
    void providers() {
        provider = new BrickworksLockProvider(cache().masterTenant());
        otherProvider = new BrickworksLockProvider(otherReplica().masterTenant());
        name = "job-" + UUID.randomUUID();
    }

    private LockConfiguration config(Duration atMost, Duration atLeast) {
        return new LockConfiguration(ClockProvider.now(), name, atMost, atLeast);
    }

    private boolean isLocked() {
        Optional<SimpleLock> probe = otherProvider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO));
        probe.ifPresent(SimpleLock::unlock);
        return probe.isEmpty();
    }

    /** Waits until the lock has expired and the other replica has taken it. */
    private SimpleLock takenOverByTheOtherReplica() {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> otherProvider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)), Optional::isPresent)
                .orElseThrow();
    }

    @Test
    void lockIsTakenAndUnlockFreesIt() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        assertThat(isLocked()).isTrue();
        lock.unlock();
        assertThat(isLocked()).isFalse();
    }

    @Test
    void theSameLockIsNotTakenTwice() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        assertThat(provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO))).as("same provider").isEmpty();
        assertThat(otherProvider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO))).as("another replica").isEmpty();
        lock.unlock();
    }

    @Test
    void aLockExpiresAfterLockAtMostFor() {
        provider.lock(config(SHORT, Duration.ZERO)).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> !isLocked());
    }

    @Test
    void anUnlockBeforeLockAtLeastForKeepsTheLockUntilThen() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ofSeconds(1))).orElseThrow();
        lock.unlock();
        assertThat(isLocked()).as("held until lockAtLeastFor has passed").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !isLocked());
    }

    @Test
    void anUnlockAfterLockAtLeastForFreesTheLockAtOnce() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ofMillis(50))).orElseThrow();
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        lock.unlock();
        assertThat(isLocked()).isFalse();
    }

    @Test
    void aLockIsUnlockedOnlyOnce() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        lock.unlock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void extendKeepsTheLockPastItsFirstLockAtMostFor() {
        SimpleLock lock = provider.lock(config(SHORT, Duration.ZERO)).orElseThrow();
        SimpleLock extended = lock.extend(LOCK_AT_MOST_FOR, Duration.ZERO).orElseThrow();
        await().pollDelay(SHORT.multipliedBy(2)).until(() -> true);
        assertThat(isLocked()).as("still held after the first lockAtMostFor").isTrue();
        assertThatThrownBy(lock::unlock).as("the lock before extend is no longer valid")
                .isInstanceOf(IllegalStateException.class);
        extended.unlock();
        assertThat(isLocked()).isFalse();
    }

    @Test
    void extendCanShortenTheLock() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        lock.extend(SHORT, Duration.ZERO).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> !isLocked());
    }

    @Test
    void extendHonoursTheNewLockAtLeastFor() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        SimpleLock extended = lock.extend(LOCK_AT_MOST_FOR, Duration.ofSeconds(1)).orElseThrow();
        extended.unlock();
        assertThat(isLocked()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !isLocked());
    }

    @Test
    void anExpiredLockTakenByAnotherOwnerIsNeitherExtendedNorDeleted() {
        SimpleLock stale = provider.lock(config(SHORT, Duration.ZERO)).orElseThrow();
        SimpleLock current = takenOverByTheOtherReplica();

        assertThat(stale.extend(LOCK_AT_MOST_FOR, Duration.ZERO)).as("extend by the stale owner").isEmpty();
        assertThat(isLocked()).as("the current owner's lock survives").isTrue();
        current.unlock();
        assertThat(isLocked()).isFalse();
    }

    @Test
    void anUnlockAfterExpiryLeavesTheNextOwnersLock() {
        SimpleLock stale = provider.lock(config(SHORT, Duration.ZERO)).orElseThrow();
        SimpleLock current = takenOverByTheOtherReplica();
        stale.unlock();
        assertThat(isLocked()).as("the stale unlock did not delete the current owner's lock").isTrue();
        current.unlock();
        assertThat(isLocked()).isFalse();
    }

    @Test
    void anUnlockAfterExpiryWithLockAtLeastForLeavesTheNextOwnersLockAlone() {
        SimpleLock stale = provider.lock(config(SHORT, SHORT)).orElseThrow();
        SimpleLock current = takenOverByTheOtherReplica();
        stale.unlock();
        await().pollDelay(SHORT.multipliedBy(2)).until(() -> true);
        assertThat(isLocked()).as("the stale unlock did not shorten the current owner's lock").isTrue();
        current.unlock();
    }

    @Test
    void theLockIsTheOriginalsLockKey() {
        SimpleLock lock = provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO)).orElseThrow();
        assertThat(otherReplica().masterTenant().attemptDistributedLock(name).join())
                .as("the original's attemptDistributedLock sees the lock").isFalse();
        lock.unlock();
        assertThat(otherReplica().masterTenant().attemptDistributedLock(name).join()).isTrue();
        assertThat(provider.lock(config(LOCK_AT_MOST_FOR, Duration.ZERO))).as("and ShedLock sees the original's")
                .isEmpty();
        otherReplica().masterTenant().releaseDistributedLock(name).join();
    }

    @Test
    void aNameTheCacheRejectsIsABadArgument() {
        assertThatThrownBy(() -> provider.lock(new LockConfiguration(ClockProvider.now(), "a:b", LOCK_AT_MOST_FOR,
                Duration.ZERO))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:b");
    }
}
