package io.brickworks.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.lock.LockHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory backend never evicts a lock to make room (evicting a held lock would let a second holder
 * in); size eviction of other entries leaves locks and their fencing counters alone. (Counters are
 * bounded separately, see {@link MemoryBoundTest}.)
 */
class MemoryLockEvictionTest {

    @Test
    void locksSurviveSizeEvictionThatRemovesOtherEntries() throws Exception {
        CacheSettings settings = CacheSettings.builder().memoryMaximumEntries(20).build();
        MemoryBackend backend = new MemoryBackend(settings);
        try (BrickworksCache cache = BrickworksCache.builder().settings(settings).backend(backend).build()) {
            LockHandle lock = cache.tryLock("job", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(cache.attemptDistributedLock("spec-job").get(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 2_000; i++) {
                cache.setKey("filler-" + i, "x").get(10, TimeUnit.SECONDS);
            }
            backend.cleanUp();
            assertThat(backend.estimatedSize()).as("size eviction ran").isLessThanOrEqualTo(22);

            assertThat(lock.isHeld().get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.tryLock("spec-job", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(backend.ttlMillis("brickworks:public:__locks__:job:fence").get()).isPositive();
            long before = lock.fencingToken();
            lock.close();
            try (LockHandle next = cache.tryLock("job", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS).orElseThrow()) {
                assertThat(next.fencingToken()).isGreaterThan(before);
            }
        }
    }
}
