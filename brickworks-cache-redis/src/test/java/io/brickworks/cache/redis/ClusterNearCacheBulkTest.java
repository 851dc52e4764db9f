package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** Every test of {@link ClusterBulkTest} (the bulk contract on a Redis Cluster) with the near cache on. */
class ClusterNearCacheBulkTest extends ClusterBulkTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
