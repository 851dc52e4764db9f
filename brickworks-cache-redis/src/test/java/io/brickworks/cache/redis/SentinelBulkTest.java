package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.BulkContract;
import java.util.OptionalLong;

/** The bulk contract on a primary found through Sentinel. */
class SentinelBulkTest extends BulkContract {

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
