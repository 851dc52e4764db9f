package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** Every test of {@link ClusterFunctionCacheTest} (the FunctionCache contract on a Redis Cluster) with the near cache on. */
class ClusterNearCacheFunctionCacheTest extends ClusterFunctionCacheTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
