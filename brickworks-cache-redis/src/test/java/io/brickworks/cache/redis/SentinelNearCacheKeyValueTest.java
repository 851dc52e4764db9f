package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;

/** The key-value contract on a primary found through Sentinel, with the near cache on. */
class SentinelNearCacheKeyValueTest extends SentinelKeyValueTest {

    @Override
    protected CacheSettings.Builder settings() {
        return super.settings().nearCache(true);
    }
}
