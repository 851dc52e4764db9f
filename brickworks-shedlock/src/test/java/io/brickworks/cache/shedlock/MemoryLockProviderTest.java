package io.brickworks.cache.shedlock;

import io.brickworks.cache.BrickworksCache;
import org.junit.jupiter.api.AfterEach;

/** ShedLock's contract on the memory backend; the other replica is a second owner on the same cache. */
class MemoryLockProviderTest extends LockProviderContract {

    private final BrickworksCache cache = BrickworksCache.builder().build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Override
    protected BrickworksCache cache() {
        return cache;
    }

    @Override
    protected BrickworksCache otherReplica() {
        return cache;
    }
}
