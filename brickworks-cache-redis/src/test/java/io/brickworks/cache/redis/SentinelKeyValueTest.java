package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.KeyValueContract;
import java.util.OptionalLong;

/** The key-value contract on a primary found through Sentinel. */
class SentinelKeyValueTest extends KeyValueContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.sentinelSettings();
    }

    @Override
    protected void clearStore() {
        SharedTopologies.sentinel().flushAll();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(Long.parseLong(SharedTopologies.sentinel().primary().cli("DBSIZE")));
    }
}
