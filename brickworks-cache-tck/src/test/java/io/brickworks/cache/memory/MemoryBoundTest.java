package io.brickworks.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The memory backend is bounded in every key space (entries, locks, fencing counters) without ever
 * evicting a held lock or letting a lock's fencing tokens go backwards. The clock stands still in
 * these tests, so a fencing token can only grow from the counter itself or from the floor kept for
 * evicted counters, never from the time.
 */
class MemoryBoundTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    /** A settable ticker, starting far from zero. */
    private static final class StillTicker implements io.brickworks.cache.Ticker {
        final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }
    }

    @Test
    void aMillionLockNamesAndAMillionKeysStayInBoundWithHeldLocksIntact() {
        int bound = 10_000;
        CacheSettings settings = CacheSettings.builder().memoryMaximumEntries(bound).ticker(new StillTicker()).build();
        MemoryBackend backend = new MemoryBackend(settings);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            List<LockHandle> held = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(cache.tryLock("held-" + i, TEN_MINUTES).join().orElseThrow());
                assertThat(cache.attemptDistributedLock("spec-held-" + i, TEN_MINUTES).join()).isTrue();
            }
            long firstToken;
            try (LockHandle first = cache.tryLock("order-0", TEN_MINUTES).join().orElseThrow()) {
                firstToken = first.fencingToken();
            }

            for (int i = 1; i < 1_000_000; i++) {
                LockHandle h = cache.tryLock("order-" + i, TEN_MINUTES).join().orElseThrow();
                h.release().join();
                cache.setKey("k" + i, "v", i % 2 == 0 ? SetOptions.DEFAULTS
                        : SetOptions.options().namespace("ns" + (i % 7))).join();
            }
            backend.cleanUp();

            assertThat(backend.lockCount()).as("only the held locks are stored").isEqualTo(200);
            assertThat(backend.fenceCount()).as("fencing counters are bounded").isLessThanOrEqualTo(bound);
            assertThat(backend.estimatedSize()).as("entries and locks").isLessThanOrEqualTo(bound + 200);

            BrickworksCache other = BrickworksCache.builder().settings(settings).backend(backend).build();
            for (int i = 0; i < 100; i++) {
                assertThat(held.get(i).isHeld().join()).isTrue();
                assertThat(other.tryLock("held-" + i, TEN_MINUTES).join()).isEmpty();
                assertThat(other.attemptDistributedLock("spec-held-" + i).join()).isFalse();
            }
            try (LockHandle again = cache.tryLock("order-0", TEN_MINUTES).join().orElseThrow()) {
                assertThat(again.fencingToken()).as("the counter of order-0 was evicted; its tokens still grow")
                        .isGreaterThan(firstToken);
            }
            long heldToken = held.get(0).fencingToken();
            held.get(0).release().join();
            try (LockHandle again = cache.tryLock("held-0", TEN_MINUTES).join().orElseThrow()) {
                assertThat(again.fencingToken()).isGreaterThan(heldToken);
            }
        }
    }

    /** Writes {@code names} distinct keys with no expiry and checks that the store holds at most {@code bound}. */
    private static void assertAFloodOfNamesStaysWithin(long configured, int bound, int names) {
        CacheSettings settings = CacheSettings.builder().memoryMaximumEntries(configured).ticker(new StillTicker()).build();
        MemoryBackend backend = new MemoryBackend(settings);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            for (int i = 0; i < names; i++) {
                cache.setKey("flood-" + i, "v", SetOptions.options().expire(Duration.ofDays(365))).join();
            }
            backend.cleanUp();
            assertThat(backend.estimatedSize()).as("entries after %d distinct names", names).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void aFloodOfDistinctNamesStaysWithinTheBound() {
        assertAFloodOfNamesStaysWithin(10_000, 10_000, 100_000);
    }

    /** Negative control: a store built without the bound (the planted bug) fails the same check. */
    @Test
    void negativeControlAStoreWithoutTheBoundFailsTheSameCheck() {
        assertThatThrownBy(() -> assertAFloodOfNamesStaysWithin(10_000_000, 10_000, 100_000))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void whenEveryLockIsHeldANewOneFailsUntilOneIsReleasedOrExpires() {
        StillTicker ticker = new StillTicker();
        CacheSettings settings = CacheSettings.builder().memoryMaximumEntries(10).ticker(ticker).build();
        MemoryBackend backend = new MemoryBackend(settings);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            List<LockHandle> held = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                held.add(cache.tryLock("l" + i, TEN_MINUTES).join().orElseThrow());
            }
            assertThat(cache.attemptDistributedLock("short", Duration.ofSeconds(1)).join()).isTrue();

            assertThatThrownBy(() -> cache.tryLock("one-more", TEN_MINUTES).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(CacheBackendException.class)
                    .hasMessageContaining("MEMORY_CACHE_MAX_ENTRIES=10");
            assertThatThrownBy(() -> cache.attemptDistributedLock("one-more").join())
                    .cause().isInstanceOf(CacheBackendException.class);
            assertThat(cache.tryLock("l0", TEN_MINUTES).join()).as("a held lock stays held").isEmpty();

            ticker.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            LockHandle afterExpiry = cache.tryLock("one-more", TEN_MINUTES).join().orElseThrow();
            assertThatThrownBy(() -> cache.tryLock("yet-another", TEN_MINUTES).join())
                    .cause().isInstanceOf(CacheBackendException.class);
            held.get(0).release().join();
            assertThat(cache.tryLock("yet-another", TEN_MINUTES).join()).isPresent();
            assertThat(afterExpiry.isHeld().join()).isTrue();
            assertThat(backend.lockCount()).isEqualTo(10);
        }
    }
}
