package io.brickworks.cache.redis;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.tck.BlockingAdapter;

/** The Queue contract on a Redis Cluster of three primaries, through the blocking view ({@link BlockingAdapter}). */
class ClusterBlockingQueueTest extends ClusterQueueTest {

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return BlockingAdapter.wrap(super.build(settings, resolver));
    }
}
