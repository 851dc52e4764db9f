package io.brickworks.cache.redis;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.tck.BlockingAdapter;

/** The KeyValue contract on the shared redis-server, through the blocking view ({@link BlockingAdapter}). */
class RedisBlockingKeyValueTest extends RedisKeyValueTest {

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return BlockingAdapter.wrap(super.build(settings, resolver));
    }
}
