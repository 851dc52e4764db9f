package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** Every test of {@link ClusterKeyValueTest} (the KeyValue contract on a Redis Cluster) with the near cache on. */
class ClusterNearCacheKeyValueTest extends ClusterKeyValueTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
