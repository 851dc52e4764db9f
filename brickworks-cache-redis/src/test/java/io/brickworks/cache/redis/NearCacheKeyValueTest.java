package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** Every test of {@link RedisKeyValueTest} (the KeyValue contract and its Redis checks) with the near cache on. */
class NearCacheKeyValueTest extends RedisKeyValueTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
