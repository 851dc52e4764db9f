package io.brickworks.cache.memory;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.tck.BlockingAdapter;

/** The Queue contract on the memory backend, through the blocking view ({@link BlockingAdapter}). */
class MemoryBlockingQueueTest extends MemoryQueueTest {

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return BlockingAdapter.wrap(super.build(settings, resolver));
    }
}
