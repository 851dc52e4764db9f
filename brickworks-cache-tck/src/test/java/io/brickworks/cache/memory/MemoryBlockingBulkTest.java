package io.brickworks.cache.memory;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.tck.BlockingAdapter;

/** The bulk contract on the memory backend, through the blocking view ({@link BlockingAdapter}). */
class MemoryBlockingBulkTest extends MemoryBulkTest {

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return BlockingAdapter.wrap(super.build(settings, resolver));
    }
}
