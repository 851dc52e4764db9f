package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** Every test of {@link RedisFunctionCacheTest} (the FunctionCache contract and its Redis checks) with the near cache on. */
class NearCacheFunctionCacheTest extends RedisFunctionCacheTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
